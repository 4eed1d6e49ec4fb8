using System.Text.Json;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Testing;
using EdgeLlm.Testing.Fuzzing;
using Json.Schema;

namespace EdgeLlm.Inference.Tests.Constraints;

/// <summary>The model both test classes decode with, loaded once: llama-2-tiny-random (random weights, real 32k vocabulary).</summary>
public sealed class TinyRandomModel : IDisposable
{
    public TinyRandomModel()
    {
        Decoder = new ConstrainedDecoder(TestModels.TinyRandomLlama2);
        Probe = new LlamaGrammarProbe(Decoder.Weights);
    }

    internal ConstrainedDecoder Decoder { get; }

    internal LlamaGrammarProbe Probe { get; }

    public void Dispose() => Decoder.Dispose();
}

/// <summary>
/// Compiled grammars through the real llama.cpp: its parser takes every grammar of the schema corpus, and
/// constrained sampling on a model with random weights (so only the grammar shapes the output) yields JSON that an
/// independent validator (JsonSchema.Net) accepts.
/// </summary>
public sealed class GrammarOnRealModelTests(TinyRandomModel model) : IClassFixture<TinyRandomModel>
{
    private const int TokenBudget = 400;

    public static TheoryData<string> Corpus() => SchemaCorpus.All();

    [Fact]
    public void TheCorpusHoldsAtLeastFiftySchemas() => Assert.True(SchemaCorpus.Names.Count >= 50, $"{SchemaCorpus.Names.Count} schemas");

    [Fact]
    public void TheProbeReportsAGrammarLlamaCppCannotParse()
    {
        Assert.False(model.Probe.Accepts("root ::= ( \"a\"", "root"));
        Assert.False(model.Probe.Accepts("root ::= undefined-rule", "root"));
        Assert.True(model.Probe.Accepts("root ::= \"a\"", "root"));
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void EveryCorpusSchemaCompilesToAGrammarLlamaCppParses(string name)
    {
        var compilation = JsonSchemaGrammar.Compile(SchemaCorpus.Load(name), strict: true);

        Assert.Null(compilation.Rejection);
        Assert.True(model.Probe.Accepts(compilation.Grammar!.Gbnf, compilation.Grammar.Root), compilation.Grammar.Gbnf);
    }

    [Theory]
    [InlineData("""{"type":"string","pattern":"^\\t\\n\\r\\f\\v\\u00e9[\\d\\-x]\\D\\W\\S\\s\\w[^\\d]\\.\\/\\\\\\\"$"}""")]
    [InlineData("""{"type":"string","pattern":"^.{1,3}?[^a-c]+?(a?){0,3}(x|y|)z*?$"}""")]
    [InlineData("""{"type":"string","pattern":"^$"}""")]
    [InlineData("""{"type":"string","pattern":"[\"\\\\]{2}"}""")]
    [InlineData("""{"enum":["😀","tab\tnew\nline","\u0001","",0,-0.5,1e3,[],{}]}""")]
    [InlineData("""{"type":"object","properties":{"😀":{"type":"null"},"a\nb":{"type":"null"},"":{"type":"null"}},"additionalProperties":true}""")]
    [InlineData("""{"type":"object","additionalProperties":true}""")]
    [InlineData("""{"type":"object","properties":{},"required":[]}""")]
    [InlineData("""{"type":"object","required":["x"],"additionalProperties":{"type":"string","maxLength":3}}""")]
    [InlineData("""{"type":"integer","minimum":-999999999999999999,"maximum":999999999999999999}""")]
    [InlineData("""{"type":"integer","exclusiveMaximum":-7}""")]
    [InlineData("""{"type":"number","minimum":3}""")]
    [InlineData("""{"type":"number","exclusiveMaximum":0}""")]
    [InlineData("""{"maxLength":4}""")]
    [InlineData("""{"type":"string","minLength":1000}""")]
    [InlineData("""{"type":"array","items":{"type":"string","maxLength":1000},"maxItems":1000}""")]
    [InlineData("""{"$defs":{"a":{"type":"array","items":{"$ref":"#/$defs/b"}},"b":{"anyOf":[{"$ref":"#/$defs/a"},{"type":"null"}]}},"$ref":"#/$defs/b"}""")]
    [InlineData("""{"oneOf":[{"const":1},{"const":1.5},{"type":"string"}]}""")]
    [InlineData("""{"type":"string","pattern":"^\\d{0,1000}\\w{1000}[ab]{2,1000}$"}""")]
    [InlineData("""{"type":"array","items":{"type":"array","items":{"type":"string","minLength":1000,"maxLength":1000},"maxItems":1000},"minItems":1000}""")]
    [InlineData("true")]
    public void EdgeCaseGrammarsParseInLlamaCpp(string schema)
    {
        var grammar = CompiledSchema.Grammar(schema);

        Assert.True(model.Probe.Accepts(grammar.Gbnf, grammar.Root), grammar.Gbnf);
    }

    [Fact]
    public void MutatedSchemasAreRefusedWithAReasonOrCompileToGrammarsLlamaCppParses()
    {
        var random = new Random(1515);
        var (compiled, refused) = (0, 0);
        foreach (var name in SchemaCorpus.Names)
        {
            for (var i = 0; i < 40; i++)
            {
                var (body, mutation) = JsonMutator.Mutate(SchemaCorpus.Text(name), random);
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 1000 });
                }
                catch (JsonException)
                {
                    continue; // not JSON: refused before a schema exists
                }

                using (document)
                {
                    var compilation = JsonSchemaGrammar.CompileRules(document.RootElement, strict: true, "m-");
                    Assert.True((compilation.Grammar is null) != (compilation.Rejection is null), $"{name}: {mutation}");
                    if (compilation.Grammar is { } grammar)
                    {
                        compiled++;
                        Assert.True(model.Probe.Accepts(grammar.Gbnf, grammar.Root), $"{name}: {mutation}\n{grammar.Gbnf}");
                    }
                    else
                    {
                        refused++;
                        Assert.False(string.IsNullOrWhiteSpace(compilation.Rejection!.Keyword), $"{name}: {mutation}");
                    }
                }
            }
        }

        Assert.True(compiled > 100 && refused > 100, $"compiled {compiled}, refused {refused}");
    }

    [Fact]
    public void PrefixedCompilationsConcatenateIntoOneGrammarLlamaCppParses()
    {
        var first = JsonSchemaGrammar.CompileRules(SchemaCorpus.Load("40-order"), true, "t0-").Grammar!;
        var second = JsonSchemaGrammar.CompileRules(SchemaCorpus.Load("28-recursive-tree"), true, "t1-").Grammar!;
        var combined = $"root ::= {first.Root} | {second.Root}\n{first.Gbnf}{second.Gbnf}";

        Assert.True(model.Probe.Accepts(combined, "root"), combined);
    }

    [Fact]
    public void TheAnyJsonObjectGrammarParsesAndYieldsAnObject()
    {
        var grammar = JsonSchemaGrammar.AnyJsonObject;
        Assert.True(model.Probe.Accepts(grammar.Gbnf, grammar.Root));

        var (text, completed) = model.Decoder.Generate("{", grammar.Gbnf, grammar.Root, seed: 7, TokenBudget);

        if (completed)
        {
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(text).RootElement.ValueKind);
        }
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void ConstrainedSamplingYieldsJsonTheSchemaValidates(string name)
    {
        var compilation = JsonSchemaGrammar.Compile(SchemaCorpus.Load(name), strict: true);
        var grammar = compilation.Grammar!;
        var validator = JsonSchema.FromText(SchemaCorpus.Text(name), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

        var completed = 0;
        foreach (var seed in new uint?[] { null, 1, 2, 3 })
        {
            var (text, done) = model.Decoder.Generate("Answer in JSON:", grammar.Gbnf, grammar.Root, seed, TokenBudget);
            if (!done)
            {
                continue; // cut by the budget: not an answer anyone calls complete
            }

            completed++;
            using var document = Parse(text, seed, string.Join("|", model.Decoder.Pieces));
            var result = validator.Evaluate(document.RootElement, options);
            Assert.True(result.IsValid, $"seed {seed}: {text}\n{JsonSerializer.Serialize(result)}");
        }

        Assert.True(completed > 0, "no run finished within the token budget");
    }

    private static JsonDocument Parse(string text, uint? seed, string pieces)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException error)
        {
            Assert.Fail($"seed {seed}: not JSON ({error.Message}): {text}\nTOKENS {pieces}");
            throw;
        }
    }
}
