using System.Threading.Channels;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The events of one admitted generation. Read until <see cref="GenerationFinished"/>; disposing the
/// stream (for example when the HTTP client went away) cancels the generation and frees its sequence
/// at the scheduler's next step.
/// </summary>
public sealed class GenerationStream : IDisposable
{
    private readonly CancellationTokenSource _cancellation;

    internal GenerationStream(ChannelReader<GenerationEvent> events, CancellationTokenSource cancellation)
    {
        Events = events;
        _cancellation = cancellation;
    }

    public ChannelReader<GenerationEvent> Events { get; }

    /// <summary>Reads every event to the end.</summary>
    public IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        Events.ReadAllAsync(cancellationToken);

    public void Dispose()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The scheduler already finished and released this generation.
        }
    }
}
