using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// The events an answer is written from: a generation still running on a scheduler, or one a cascade already read to
/// its end and kept (written then exactly as it would have been live).
/// </summary>
internal abstract class GenerationEvents : IDisposable
{
    /// <summary>Completes when the generation ends: true when the scheduler cancelled it because its reader stalled.</summary>
    public abstract Task<bool> Stalled { get; }

    public static GenerationEvents Live(GenerationStream stream) => new LiveEvents(stream);

    public static GenerationEvents Kept(IReadOnlyList<GenerationEvent> events) => new KeptEvents(events);

    public abstract IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken);

    public abstract void Dispose();

    private sealed class LiveEvents(GenerationStream stream) : GenerationEvents
    {
        public override Task<bool> Stalled => stream.Stalled;

        public override IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken) => stream.ReadAllAsync(cancellationToken);

        public override void Dispose() => stream.Dispose();
    }

    // The generation is over: nothing to cancel, and its reader (the cascade) never stalled.
    private sealed class KeptEvents(IReadOnlyList<GenerationEvent> events) : GenerationEvents
    {
        public override Task<bool> Stalled { get; } = Task.FromResult(false);

        public override IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken) => events.ToAsyncEnumerable();

        public override void Dispose()
        {
        }
    }
}
