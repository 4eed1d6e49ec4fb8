using EdgeLlm.Inference.Constraints;
using static EdgeLlm.Inference.Tests.Constraints.CompiledSchema;

namespace EdgeLlm.Inference.Tests.Constraints;

public sealed class JsonSchemaGrammarTests
{
    [Fact]
    public void ScalarTypesBecomeTheirSharedRules()
    {
        Assert.Equal("boolean", Rules("""{"type":"boolean"}""")["root"]);
        Assert.Equal("\"true\" | \"false\"", Rules("""{"type":"boolean"}""")["boolean"]);
        Assert.Equal("\"null\"", Rules("""{"type":"null"}""")["null"]);
        Assert.Equal("(string | null)", Rules("""{"type":["string","null"]}""")["root"]);
        Assert.Equal("\"0\" | \"-\"? [1-9] [0-9]{0,17}", Rules("""{"type":"integer"}""")["integer"]);
    }

    [Fact]
    public void WhitespaceBetweenTokensIsBoundedAndNoneSurroundsTheDocument()
    {
        var rules = Rules("""{"type":"object","properties":{"a":{"type":"null"}},"required":["a"]}""");

        // Nothing, a space, or one newline with indentation: a model cannot fill its budget with blank lines.
        Assert.Equal("| \" \" | \"\\n\" [ \\t]{0,20}", rules["ws"]);
        Assert.Equal("value-object", rules["root"]);
        Assert.StartsWith("\"{\" ws ", rules["value-object"], StringComparison.Ordinal);
        Assert.EndsWith(" ws \"}\"", rules["value-object"], StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredPropertiesComeFirstInDeclarationOrderThenEachOptionalOne()
    {
        var rules = Rules("""{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"null"},"c":{"type":"boolean"}},"required":["b"]}""");

        Assert.Equal("\"{\" ws \"\\x22b\\x22\" ws \":\" ws null value-opt? value-opt-2? ws \"}\"", rules["value-object"]);
        Assert.Equal("ws \",\" ws \"\\x22a\\x22\" ws \":\" ws boolean", rules["value-opt"]);
        Assert.Equal("ws \",\" ws \"\\x22c\\x22\" ws \":\" ws boolean", rules["value-opt-2"]);
    }

    [Fact]
    public void WithoutRequiredPropertiesWhicheverComesFirstHasNoComma()
    {
        var rules = Rules("""{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"null"}}}""");

        Assert.Equal("ws \",\" ws \"\\x22b\\x22\" ws \":\" ws null", rules["value-opt"]);
        Assert.Equal("value-opt?", rules["value-rest"]);
        Assert.Equal("( \"\\x22a\\x22\" ws \":\" ws boolean value-rest | \"\\x22b\\x22\" ws \":\" ws null ) ws", rules["value-members"]);
        Assert.Equal("\"{\" ws value-members? \"}\"", rules["value-object"]);
    }

    [Theory]
    [InlineData("""{"type":"object"}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"null"}},"additionalProperties":false}""")]
    public void WithoutAdditionalPropertiesNoUndeclaredKeyIsGenerated(string schema)
    {
        var rules = Rules(schema);

        Assert.DoesNotContain("free-key", rules.Keys);
        Assert.DoesNotContain(rules.Values, body => body.Contains("string", StringComparison.Ordinal));
    }

    [Fact]
    public void AdditionalPropertiesAllowOneExtraMemberWhoseKeyIsNoDeclaredName()
    {
        var rules = Rules("""{"type":"object","properties":{"k":{"const":1}},"required":["k"],"additionalProperties":{"type":"boolean"}}""");

        Assert.EndsWith("\"1\" value-opt? ws \"}\"", rules["value-object"], StringComparison.Ordinal);
        Assert.Equal("ws \",\" ws \"\\\"\" value-key-2 ws \":\" ws boolean", rules["value-opt"]);
        // After "k" the key may not end (that would be "k" itself) but may go on with any character.
        Assert.Equal("\"\\\"\" | \"k\" value-key | [^\\x00-\\x1F\\x22\\x5Ck] free-key", rules["value-key-2"]);
        Assert.Equal("[^\\x00-\\x1F\\x22\\x5C] free-key", rules["value-key"]);
    }

    [Fact]
    public void AnExtraKeyIsWrittenRawSoNamesWithEscapedCharactersNeedNoTrieBranch()
    {
        var rules = Rules("""{"type":"object","properties":{"a\nb":{"type":"null"},"q\"":{"type":"null"}},"additionalProperties":true}""");

        Assert.DoesNotContain(rules.Values, body => body.Contains("\"\\x0A\"", StringComparison.Ordinal) || body.Contains("\"\\x22\" value-key", StringComparison.Ordinal));
        Assert.Contains(rules.Values, body => body.StartsWith("\"\\\"\" | \"a\" value-key", StringComparison.Ordinal));
    }

    [Fact]
    public void ArraysBoundTheirItemCount()
    {
        Assert.Equal("\"[\" ws integer value-more{0,2} ws \"]\"", Rules("""{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":3}""")["value-array"]);
        Assert.Equal("ws \",\" ws integer", Rules("""{"type":"array","items":{"type":"integer"},"minItems":1,"maxItems":3}""")["value-more"]);
        Assert.Equal("integer value-more* ws", Rules("""{"type":"array","items":{"type":"integer"}}""")["value-items"]);
        Assert.Equal("\"[\" ws value-items? \"]\"", Rules("""{"type":"array","items":{"type":"integer"}}""")["value-array"]);
        Assert.Equal("\"[\" ws integer value-more{2,} ws \"]\"", Rules("""{"type":"array","items":{"type":"integer"},"minItems":3}""")["value-array"]);
        Assert.Equal("\"[\" ws \"]\"", Rules("""{"type":"array","maxItems":0}""")["value-array"]);
    }

    [Fact]
    public void StringLengthsCountCharactersWithTheMinimumFromSingleGraphemeCharacters()
    {
        var rules = Rules("""{"type":"string","minLength":2,"maxLength":6}""");

        Assert.Equal("\"\\\"\" counted-char{2} bmp-char{0,4} \"\\\"\"", rules["root"]);
        Assert.Contains("\\U00010000-\\U0010FFFF", rules["bmp-char"], StringComparison.Ordinal);
        Assert.Equal("\"\\\"\" bmp-char{0,5} \"\\\"\"", Rules("""{"type":"string","maxLength":5}""")["root"]);
    }

    [Fact]
    public void StringCharactersAreJsonCharactersOrEscapesWithoutSurrogates()
    {
        var rules = Rules("""{"type":"string"}""");

        Assert.Equal("\"\\\"\" char* \"\\\"\"", rules["string"]);
        Assert.Equal("[^\"\\\\\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" hex4)", rules["char"]);
        Assert.Equal("[0-9a-cA-Ce-fE-F] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}", rules["hex4"]);
    }

    [Theory]
    [InlineData("date")]
    [InlineData("date-time")]
    [InlineData("uuid")]
    public void FormatsBecomeTheirRules(string format)
    {
        var rules = Rules($$"""{"type":"string","format":"{{format}}"}""");

        Assert.Equal($"\"\\\"\" {format} \"\\\"\"", rules["root"]);
        Assert.Contains(format, rules.Keys);
    }

    [Fact]
    public void EnumAndConstValuesAreCompactJsonLiterals()
    {
        Assert.Equal("(\"\\x22a\\x5C\\x22b\\x22\" | \"1\" | \"null\" | \"{\\x22k\\x22:[1]}\")", Rules("""{"enum":["a\"b",1,null,{"k":[1]}]}""")["root"]);
        Assert.Equal("\"\\x22Z\\xFCrich\\x22\"", Rules("""{"const":"Zürich"}""")["root"]);
        Assert.Equal("(\"1\" | \"2\")", Rules("""{"type":"integer","enum":[1,"x",2,2.5]}""")["root"]);
    }

    [Fact]
    public void IntegerBoundsBecomeExactDigitRanges()
    {
        Assert.Equal("(((\"-\" ([1-5])) | ([0-5])))", Rules("""{"type":"integer","minimum":-5,"maximum":5}""")["root"]);
        Assert.Equal("([1-9])", Rules("""{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10}""")["root"]);
        Assert.Equal("([2-4])", Rules("""{"type":"integer","minimum":1.5,"maximum":4.9}""")["root"]);
    }

    [Fact]
    public void BoundedNumbersAreIntegersOfTheRangeOrFractionsStrictlyInside()
    {
        var rules = Rules("""{"type":"number","minimum":0,"maximum":1}""");

        Assert.Equal("(([0-1]) | ((\"0\") fraction))", rules["root"]);
        Assert.Equal("\".\" [0-9]{0,14} [1-9]", rules["fraction"]);
        // -50..-10: the integers, and -k.f for k from 10 to 49.
        Assert.Equal("((\"-\" ([1-4] [0-9] | \"5\" \"0\")) | (\"-\" ([1-4] [0-9]) fraction))", Rules("""{"type":"number","minimum":-50,"maximum":-10}""")["root"]);
    }

    [Fact]
    public void PatternsBecomeJsonStringCharacters()
    {
        var code = Rules("""{"type":"string","pattern":"^[A-Z]{3}-\\d{4}$"}""");
        Assert.Equal("\"\\\"\" pattern{3} [\\x2D] pattern-2{4} \"\\\"\"", code["root"]);
        Assert.Equal(("[A-Z]", "[0-9]"), (code["pattern"], code["pattern-2"]));
        Assert.Equal("\"\\\"\" ([a] | \"\\x5C\\x22\") \"\\\"\"", Rules("""{"type":"string","pattern":"^[a\"]$"}""")["root"]);
        Assert.Equal("\"\\\"\" (([y] [e] [s] | [n] [o])) \"\\\"\"", Rules("""{"type":"string","pattern":"^(?:yes|no)$"}""")["root"]);
        Assert.Equal("\"\\\"\" ([\\x20-\\x21\\x23-\\x5B\\x5D-\\u2027\\u202A-\\uD7FF\\uE000-\\uFFFD] | \"\\x5C\\x22\" | \"\\x5C\\x5C\") \"\\\"\"", Rules("""{"type":"string","pattern":"^.$"}""")["root"]);
    }

    [Fact]
    public void ReferencesShareOneRulePerDefinitionAndMayRecurseThroughAnObject()
    {
        var rules = Rules("""
            {"$defs":{"p":{"type":"integer"}},"type":"object",
             "properties":{"a":{"$ref":"#/$defs/p"},"b":{"$ref":"#/$defs/p"},"next":{"anyOf":[{"$ref":"#"},{"type":"null"}]}},
             "required":["a","b","next"]}
            """);

        Assert.Equal("integer", rules["def-p"]);
        Assert.Equal(2, rules["value-object"].Split("def-p").Length - 1);
        Assert.Contains("(root | null)", rules["value-object"], StringComparison.Ordinal);
    }

    [Fact]
    public void AnyOfAndOneOfBecomeAlternatives()
    {
        Assert.Equal("(boolean | null)", Rules("""{"anyOf":[{"type":"boolean"},{"type":"null"}]}""")["root"]);
        Assert.Equal("(boolean | null)", Rules("""{"oneOf":[{"type":"boolean"},{"type":"null"}]}""")["root"]);
    }

    [Fact]
    public void EveryRuleOfAPrefixedCompilationCarriesThePrefix()
    {
        var grammar = Grammar(SchemaCorpus.Text("40-order"), "fn3-");
        var names = Rules(SchemaCorpus.Text("40-order"), "fn3-").Keys;

        Assert.Equal("fn3-root", grammar.Root);
        Assert.All(names, name => Assert.StartsWith("fn3-", name, StringComparison.Ordinal));
        Assert.Contains("fn3-ws", names);
    }

    [Fact]
    public void APrefixWithCharactersGbnfCannotNameIsAnError() =>
        Assert.Throws<ArgumentException>(() => JsonSchemaGrammar.CompileRules(Parse("""{"type":"null"}"""), true, "tool_1"));

    [Fact]
    public void AnnotationsAreAcceptedAndLeaveTheGrammarAlone()
    {
        var plain = Grammar("""{"type":"boolean"}""").Gbnf;
        var annotated = Grammar("""{"type":"boolean","title":"t","description":"d","$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:x","examples":[true],"default":false,"$comment":"c"}""").Gbnf;

        Assert.Equal(plain, annotated);
    }

    [Fact]
    public void AnyJsonObjectStartsWithAnObject()
    {
        var rules = JsonSchemaGrammar.AnyJsonObject.Gbnf.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(" ::= ", 2)).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal("object", rules["root"]);
        Assert.StartsWith("\"{\"", rules["object"], StringComparison.Ordinal);
    }
}
