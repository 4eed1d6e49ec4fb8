using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Tests.PrefixReuse;

/// <summary>Loads real models through the daemon's loader and runs requests on them, reading their tokens and usage.</summary>
internal static class RealModelRuns
{
    public static LoadedModel Load(string path, bool reuse, bool speculation = true, Action<InferenceOptions>? configure = null, int contextSize = 512, int sequences = 4)
    {
        var options = new InferenceOptions { ContextSize = contextSize, MaxSequences = sequences, QueueCapacity = 64, Threads = 2 };
        configure?.Invoke(options);
        var loader = new ModelLoader(Options.Create(options), NullLoggerFactory.Instance, TimeProvider.System);
        return loader.Load(new ModelOptions { Path = path, PrefixCache = reuse, Speculation = reuse && speculation });
    }

    /// <summary>One generation to its end: its text, its usage, and each token with its best two alternatives when <paramref name="logprobs"/>.</summary>
    public static async Task<(string Text, GenerationUsage Usage, FinishReason Reason, List<TokenLogprob> Tokens)> GenerateAsync(
        LoadedModel model, int[] prompt, int maxTokens, SamplingParameters? sampling = null, bool logprobs = false, CancellationToken cancellationToken = default)
    {
        var request = new GenerationRequest(prompt, sampling ?? SamplingParameters.Greedy, maxTokens, []) { TopLogprobs = logprobs ? 2 : null };
        var admitted = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(request, cancellationToken));
        var text = new System.Text.StringBuilder();
        var tokens = new List<TokenLogprob>();
        using var stream = admitted.Stream;
        await foreach (var item in stream.ReadAllAsync(CancellationToken.None))
        {
            switch (item)
            {
                case TextDelta delta:
                    text.Append(delta.Text);
                    tokens.AddRange(delta.Logprobs ?? []);
                    break;
                case GenerationFinished finished:
                    return (text.ToString(), finished.Usage, finished.Reason, tokens);
            }
        }

        throw new InvalidOperationException("The stream ended without a finish event.");
    }
}
