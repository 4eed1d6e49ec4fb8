using System.Text;
using System.Text.Json;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using LLama;

namespace EdgeLlm.Inference.Tests.Runtime;

/// <summary>
/// Reject-then-resample through the real engine on llama-2-tiny-random (random weights: the preferred token is often
/// one the grammar refuses). For greedy decoding it must be exact: the same tokens as masking the whole vocabulary
/// every step, which is what the sampler does when log-probabilities are asked for.
/// </summary>
public sealed class TokenSamplerTests
{
    private const string Schema = """{"type":"object","properties":{"id":{"type":"integer","minimum":0,"maximum":500},"tags":{"type":"array","items":{"enum":["red","green","blue"]},"maxItems":4},"ok":{"type":"boolean"}},"required":["id","tags","ok"],"additionalProperties":false}""";

    [Fact]
    public void GreedyRejectThenResampleWritesWhatTheWholeVocabularyMaskWrites()
    {
        var options = new InferenceOptions { ContextSize = 256, MaxSequences = 2, BatchSize = 256 };
        var parameters = ModelLoader.CreateParameters(TestModels.TinyRandomLlama2, options, EffectiveModelSettings.Resolve(new ModelOptions(), options));
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var engine = new LlamaEngine(weights, parameters);
        using var schema = JsonDocument.Parse(Schema);
        var grammar = JsonSchemaGrammar.Compile(schema.RootElement, strict: true).Grammar!;
        var prompt = weights.Tokenize("Answer with JSON:", add_bos: true, special: false, Encoding.UTF8).Select(t => (int)t).ToArray();

        var fast = Generate(engine, prompt, grammar, topLogprobs: null);
        var masked = Generate(engine, prompt, grammar, topLogprobs: 0);

        Assert.Equal(masked.Tokens, fast.Tokens);
        Assert.True(fast.Finished, $"the answer should finish within the budget: {fast.Text}");
        using var answer = JsonDocument.Parse(fast.Text);
        Assert.InRange(answer.RootElement.GetProperty("id").GetInt32(), 0, 500);
    }

    private static (List<int> Tokens, string Text, bool Finished) Generate(LlamaEngine engine, int[] prompt, OutputGrammar grammar, int? topLogprobs)
    {
        var request = new GenerationRequest(prompt, SamplingParameters.Greedy, 150, []) { Constraint = new OutputConstraint(grammar), TopLogprobs = topLogprobs };
        using var sequence = engine.CreateSequence(request);
        sequence.Prompt(prompt);
        var tokens = new List<int>();
        var text = new StringBuilder();
        for (var i = 0; i < request.MaxTokens; i++)
        {
            Assert.Equal(EngineDecodeStatus.Ok, engine.Decode());
            var token = sequence.Sample().Token;
            Assert.True(token >= 0, "the grammar allowed no token");
            if (sequence.IsEndOfGeneration(token))
            {
                return (tokens, text.ToString(), true);
            }

            tokens.Add(token);
            text.Append(sequence.Detokenize(token));
            sequence.Prompt([token]);
        }

        return (tokens, text.ToString(), false);
    }
}
