using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Inference.Tests.Support;

internal static class SchedulerFixture
{
    public static InferenceScheduler Create(
        FakeEngine engine, int maxSequences = 4, int queue = 4, int chunk = 128, TimeProvider? time = null, TimeSpan? timeout = null, int? sequencesPerKey = null, int? queuedPerKey = null,
        SpeculationSettings? speculation = null) =>
        new(
            engine,
            new SchedulerSettings(maxSequences, queue, chunk, timeout ?? TimeSpan.FromMinutes(5)) { MaxSequencesPerKey = sequencesPerKey, MaxQueuedPerKey = queuedPerKey, Speculation = speculation },
            time ?? new FakeTimeProvider(),
            NullLogger.Instance);

    /// <summary>A generation that never ends by itself: its tokens stay clear of the end token.</summary>
    public static GenerationRequest Endless(RequestOwner? owner = null) =>
        Request(promptLength: 1, maxTokens: int.MaxValue, firstToken: FakeEngine.EndToken + 1) with { Owner = owner };

    /// <summary>The owner of requests made with API key <paramref name="key"/> of <paramref name="tenant"/>.</summary>
    public static RequestOwner Key(string key, string? tenant = null) => new(tenant ?? "tenant-" + key, key);

    public static GenerationRequest Request(int promptLength = 3, int maxTokens = 5, int firstToken = 0, params string[] stop) =>
        new(Enumerable.Range(firstToken, promptLength).ToArray(), SamplingParameters.Greedy, maxTokens, stop);

    public static GenerationStream Admit(InferenceScheduler scheduler, GenerationRequest request, CancellationToken cancellationToken = default) =>
        scheduler.TrySubmit(request, cancellationToken) is AdmissionResult.Admitted admitted
            ? admitted.Stream
            : throw new InvalidOperationException("Expected the request to be admitted.");

    public static async Task<(string Text, GenerationFinished Finished)> ReadAllAsync(GenerationStream stream)
    {
        var text = "";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var item in stream.ReadAllAsync(timeout.Token))
        {
            switch (item)
            {
                case TextDelta delta:
                    text += delta.Text;
                    break;
                case GenerationFinished finished:
                    return (text, finished);
            }
        }

        throw new InvalidOperationException("The stream ended without a finish event.");
    }

    /// <summary>
    /// Waits for two more decode steps, so the loop has taken in every request submitted before the call (it drains
    /// its inbox at the top of each step) — the admission count alone moves before the loop has seen a request.
    /// </summary>
    public static Task WaitForTheLoopToTakeInAsync(FakeEngine engine)
    {
        var steps = engine.SnapshotBatches().Count;
        return WaitUntilAsync(() => engine.SnapshotBatches().Count >= steps + 2);
    }

    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
