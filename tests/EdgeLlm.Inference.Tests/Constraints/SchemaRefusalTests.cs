using System.Text;
using EdgeLlm.Inference.Constraints;
using static EdgeLlm.Inference.Tests.Constraints.CompiledSchema;

namespace EdgeLlm.Inference.Tests.Constraints;

public sealed class SchemaRefusalTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"object","patternProperties":{}}}}""", "/properties/a/patternProperties", "patternProperties")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","nullable":true}}}""", "/properties/a/nullable", "nullable")]
    [InlineData("""{"type":"number","multipleOf":2}""", "/multipleOf", "multipleOf")]
    [InlineData("""{"type":"array","prefixItems":[]}""", "/prefixItems", "prefixItems")]
    [InlineData("""{"not":{"type":"null"}}""", "/not", "not")]
    [InlineData("""{"type":"object","properties":{"a/b":{"if":true}}}""", "/properties/a~1b/if", "if")]
    public void AnUnsupportedKeywordIsRefusedWithItsPath(string schema, string path, string keyword) =>
        Assert.Equal((path, keyword), (Refusal(schema).Path, Refusal(schema).Keyword));

    [Theory]
    [InlineData("""{"type":5}""", "/type", "type")]
    [InlineData("""{"type":"text"}""", "/type", "type")]
    [InlineData("""{"type":[]}""", "/type", "type")]
    [InlineData("""{"type":"object","required":"a"}""", "/required", "required")]
    [InlineData("""{"type":"object","required":[1]}""", "/required", "required")]
    [InlineData("""{"type":"object","properties":[]}""", "/properties", "properties")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"null"},"a":{"type":"null"}}}""", "/properties", "properties")]
    [InlineData("""{"type":"object","properties":{"a":5}}""", "/properties/a", "schema")]
    [InlineData("""{"type":"object","properties":{"a":false},"required":["a"]}""", "/properties/a", "schema")]
    [InlineData("""{"type":"object","required":["ghost"]}""", "/required", "required")]
    [InlineData("""{"type":"object","additionalProperties":1}""", "/additionalProperties", "additionalProperties")]
    [InlineData("""{"type":"array","items":[{"type":"null"}]}""", "/items", "items")]
    [InlineData("""{"type":"array","minItems":-1}""", "/minItems", "minItems")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":2}""", "/maxItems", "maxItems")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "/uniqueItems", "uniqueItems")]
    [InlineData("""{"type":"string","maxLength":"5"}""", "/maxLength", "maxLength")]
    [InlineData("""{"type":"string","maxLength":5000}""", "/maxLength", "maxLength")]
    [InlineData("""{"type":"string","minLength":1001}""", "/minLength", "minLength")]
    [InlineData("""{"type":"string","format":"email"}""", "/format", "format")]
    [InlineData("""{"type":"string","format":"date","maxLength":10}""", "/format", "format")]
    [InlineData("""{"type":"string","pattern":"^a$","maxLength":3}""", "/pattern", "pattern")]
    [InlineData("""{"type":"string","minimum":1}""", "/minimum", "minimum")]
    [InlineData("""{"minLength":1,"minimum":1}""", "", "type")]
    [InlineData("""{"type":"integer","minimum":10,"maximum":1}""", "/minimum", "minimum")]
    [InlineData("""{"type":"integer","minimum":"1"}""", "/minimum", "minimum")]
    [InlineData("""{"type":"integer","minimum":1e30}""", "/minimum", "minimum")]
    [InlineData("""{"type":"number","maximum":0.5}""", "/maximum", "maximum")]
    [InlineData("""{"enum":[]}""", "/enum", "enum")]
    [InlineData("""{"type":"string","enum":[1,2]}""", "/enum", "enum")]
    [InlineData("""{"enum":["a"],"maxLength":3}""", "/maxLength", "maxLength")]
    [InlineData("""{"enum":["a"],"const":"a"}""", "/const", "const")]
    [InlineData("""{"anyOf":[]}""", "/anyOf", "anyOf")]
    [InlineData("""{"anyOf":[{"type":"null"}],"type":"null"}""", "/type", "type")]
    [InlineData("""{"allOf":[{"type":"null"},{"type":"null"}]}""", "/allOf", "allOf")]
    [InlineData("""{"oneOf":[{"type":"number"},{"type":"integer"}]}""", "/oneOf", "oneOf")]
    [InlineData("""{"oneOf":[{"enum":["a","b"]},{"enum":["b","c"]}]}""", "/oneOf", "oneOf")]
    [InlineData("""{"type":"object","properties":{"a":{"$defs":{}}}}""", "/properties/a/$defs", "$defs")]
    [InlineData("false", "", "schema")]
    [InlineData("""{"type":"object","properties":{"a":{"const":"\ud800"}}}""", "/properties/a/const", "schema")]
    public void AMalformedOrUnsupportedUseIsRefusedWithItsPathAndKeyword(string schema, string path, string keyword)
    {
        var refusal = Refusal(schema);

        Assert.Equal((path, keyword), (refusal.Path, refusal.Keyword));
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"p":{"$ref":"#/$defs/missing"}}}""", "/properties/p/$ref")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "/$ref")]
    [InlineData("""{"$ref":"#/properties/a"}""", "/$ref")]
    [InlineData("""{"$ref":5}""", "/$ref")]
    [InlineData("""{"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"null"}]}},"$ref":"#/$defs/a"}""", "/$defs/a/anyOf/0/$ref")]
    [InlineData("""{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"null"}]}},"$ref":"#/$defs/a"}""", "/$defs/b/anyOf/0/$ref")]
    [InlineData("""{"$defs":{"d":{"anyOf":[{"type":"array","items":{"$ref":"#"}},{"$ref":"#"}]}},"$ref":"#/$defs/d"}""", "/$defs/d/anyOf/1/$ref")]
    public void AReferenceThatCannotBeFollowedOrRecursesWithoutStructureIsRefused(string schema, string path) =>
        Assert.Equal((path, "$ref"), (Refusal(schema).Path, Refusal(schema).Keyword));

    [Theory]
    [InlineData("^(?=a)b$")]
    [InlineData("^(a)\\1$")]
    [InlineData("^\\p{L}+$")]
    [InlineData("\\bword")]
    [InlineData("^a$b")]
    [InlineData("^(a$")]
    [InlineData("^[a-$")]
    [InlineData("^a{2,1}$")]
    [InlineData("^a{5000}$")]
    [InlineData("^*a$")]
    [InlineData("^(?i)a$")]
    [InlineData("^😀$")]
    [InlineData("^(a?)*$")]
    [InlineData("^(a|)+$")]
    [InlineData("^(b*){2,}$")]
    public void APatternOutsideTheSubsetIsRefused(string pattern)
    {
        var refusal = Refusal("""{"type":"object","properties":{"code":{"type":"string","pattern":""" + System.Text.Json.JsonSerializer.Serialize(pattern) + "}}}");

        Assert.Equal(("/properties/code/pattern", "pattern"), (refusal.Path, refusal.Keyword));
    }

    [Fact]
    public void APatternLongerThanTheLimitIsRefused() =>
        Assert.Equal("pattern", Refusal($$"""{"type":"string","pattern":"{{new string('a', SchemaLimits.MaxPatternLength + 1)}}"}""").Keyword);

    [Fact]
    public void AnEnumOfTenThousandValuesIsRefusedByItsCount()
    {
        var values = string.Join(",", Enumerable.Range(0, 10_000).Select(i => "\"v" + i + "\""));

        var refusal = Refusal("""{"type":"string","enum":[""" + values + "]}");

        Assert.Equal(("/enum", "enum"), (refusal.Path, refusal.Keyword));
        Assert.Contains("1000", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AOneMegabyteSchemaIsRefusedBySizeBeforeAnyKeywordIsRead()
    {
        // The first keyword is unsupported: a walk would have refused it; the size check comes first.
        var filler = new StringBuilder("""{"unsupported":1,"type":"object","description":" """);
        filler.Append('x', 1024 * 1024).Append("\"}");

        var refusal = Refusal(filler.ToString());

        Assert.Equal(("", "size"), (refusal.Path, refusal.Keyword));
    }

    [Fact]
    public void ASchemaNestedAHundredDeepIsRefusedByDepthBeforeAnyKeywordIsRead()
    {
        var schema = """{"unsupported":1,"type":"object","properties":{"a":""" + string.Concat(Enumerable.Repeat("""{"type":"object","properties":{"a":""", 99))
            + "true" + new string('}', 2 * 99) + "}}";

        var refusal = Refusal(schema);

        Assert.Equal("depth", refusal.Keyword);
        Assert.StartsWith("/properties/a/properties/a/", refusal.Path, StringComparison.Ordinal);
        Assert.Contains("JSON levels", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaNestingBeyondTheLimitIsRefusedWhereItIsCrossed()
    {
        // items nests one JSON level per schema level, so this passes the JSON-depth check and meets the walk's.
        var schema = string.Concat(Enumerable.Repeat("""{"type":"array","items":""", SchemaLimits.MaxDepth + 2)) + "true" + new string('}', SchemaLimits.MaxDepth + 2);

        var refusal = Refusal(schema);

        Assert.Equal("depth", refusal.Keyword);
        Assert.Equal(string.Concat(Enumerable.Repeat("/items", SchemaLimits.MaxDepth + 1)), refusal.Path);
    }
}
