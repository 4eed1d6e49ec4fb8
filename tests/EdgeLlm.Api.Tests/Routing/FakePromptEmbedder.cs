using EdgeLlm.Routing.Classification;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>
/// Embeds each text as the vector given for it (none: the model cannot embed it); counts the calls. With
/// <see cref="FailNext"/> the next call throws, as an engine fault would.
/// </summary>
internal sealed class FakePromptEmbedder(Dictionary<string, float[]>? vectors = null) : IPromptEmbedder
{
    private int _calls;

    public int Calls => _calls;

    public bool FailNext { get; set; }

    public Task<float[]?> EmbedAsync(string model, string text, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("Embedding decode failed.");
        }

        return Task.FromResult(vectors is not null && vectors.TryGetValue(text, out var vector) ? vector : null);
    }
}
