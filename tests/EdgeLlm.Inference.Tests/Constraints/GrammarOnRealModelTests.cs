using System.Text.Json;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Testing;
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
