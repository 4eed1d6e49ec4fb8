using System.Diagnostics;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// One greedy generation through the model's real scheduler, in process: the text of each <see cref="TextDelta"/> and
/// the seconds between consecutive deltas (the first delta's wait is the time to first token, not an inter-token time).
/// </summary>
internal sealed record DecodedStream(IReadOnlyList<string> Texts, IReadOnlyList<double> InterTokenSeconds, FinishReason Finish)
{
    /// <summary>
    /// Decodes <paramref name="prompt"/> greedily for up to <paramref name="maxTokens"/> tokens. With
    /// <paramref name="screen"/>, each delta is pushed through it on the reading side before the next one is awaited, as
    /// the API does, so its cost falls inside the measured gaps.
    /// </summary>
    public static async Task<DecodedStream> RecordAsync(LoadedModel model, string prompt, int maxTokens, OutputScreen? screen)
    {
        var request = new GenerationRequest(model.Tokenizer.Tokenize(prompt, false), SamplingParameters.Greedy, maxTokens, []);
        if (model.Scheduler.TrySubmit(request, CancellationToken.None) is not AdmissionResult.Admitted admitted)
        {
            throw new InvalidOperationException("The scheduler did not admit the benchmark's only request.");
        }

        using var stream = admitted.Stream;
        var texts = new List<string>();
        var gaps = new List<double>();
        long? previous = null;
        var finish = FinishReason.Error;
        await foreach (var item in stream.ReadAllAsync())
        {
            switch (item)
            {
                case TextDelta delta:
                    var now = Stopwatch.GetTimestamp();
                    if (previous is { } before)
                    {
                        gaps.Add(Stopwatch.GetElapsedTime(before, now).TotalSeconds);
                    }

                    previous = now;
                    texts.Add(delta.Text);
                    screen?.Push(delta.Text);
                    break;
                case GenerationFinished finished:
                    finish = finished.Reason;
                    break;
            }
        }

        screen?.Complete();
        return new DecodedStream(texts, gaps, finish);
    }
}
