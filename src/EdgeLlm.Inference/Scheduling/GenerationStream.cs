using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The events of one admitted generation. Read until <see cref="GenerationFinished"/>; disposing the
/// stream (for example when the HTTP client went away) cancels the generation and frees its sequence
/// at the scheduler's next step.
/// </summary>
public sealed class GenerationStream : IDisposable
{
    private readonly ChannelReader<GenerationEvent> _events;
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource<bool> _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _taken;

    internal GenerationStream(ChannelReader<GenerationEvent> events, CancellationTokenSource cancellation)
    {
        _events = events;
        _cancellation = cancellation;
    }

    /// <summary>
    /// Completes when the generation ends: true when it was cancelled because its reader stalled (the caller then
    /// drops its connection, so requests pipelined behind it never take a sequence), false for any other end.
    /// </summary>
    public Task<bool> Stalled => _stalled.Task;

    /// <summary>Events handed to the reader so far; the scheduler compares it with what it emitted.</summary>
    internal long Taken => Interlocked.Read(ref _taken);

    /// <summary>Reads every event to the end.</summary>
    public async IAsyncEnumerable<GenerationEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _events.ReadAllAsync(cancellationToken))
        {
            Interlocked.Increment(ref _taken);
            yield return item;
        }
    }

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

    internal void Ended(bool stalled) => _stalled.TrySetResult(stalled);
}
