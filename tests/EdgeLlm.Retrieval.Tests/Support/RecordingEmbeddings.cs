using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>
/// <see cref="HashedWordEmbeddings"/> that records the order it embedded texts in, can hold its first call until
/// the test lets it go, and never finishes a text holding <see cref="Endless"/> unless the call is cancelled
/// (an embedding that would run for minutes, made to run forever).
/// </summary>
internal sealed class RecordingEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string Endless = "endlessmarker";

    private readonly ConcurrentQueue<string> _embedded = new();
    private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _endlessStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _endlessCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _hold;

    /// <summary>The texts embedded so far, in order.</summary>
    public IReadOnlyList<string> Embedded => [.. _embedded];

    /// <summary>Completes when the first call arrives.</summary>
    public Task FirstCall => _firstCall.Task;

    /// <summary>Completes when a call reaches an endless text.</summary>
    public Task EndlessStarted => _endlessStarted.Task;

    /// <summary>Completes when a call stuck on an endless text was cancelled.</summary>
    public Task EndlessCancelled => _endlessCancelled.Task;

    /// <summary>Makes the first call wait until <see cref="Release"/>.</summary>
    public void HoldFirstCall() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_firstCall.TrySetResult() && _hold is not null)
        {
            await _hold.Task.WaitAsync(cancellationToken);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            if (value.Contains(Endless, StringComparison.Ordinal))
            {
                _endlessStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    _endlessCancelled.TrySetResult();
                    throw;
                }
            }

            _embedded.Enqueue(value);
            result.Add(new Embedding<float>(HashedWordEmbeddings.Embed(value)));
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
