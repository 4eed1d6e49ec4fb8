using EdgeLlm.Routing.Classification;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>Embeds each text as the vector given for it (none: the model cannot embed it); counts the calls.</summary>
internal sealed class FakePromptEmbedder(Dictionary<string, float[]>? vectors = null) : IPromptEmbedder
{
    private int _calls;

    public int Calls => _calls;

    public Task<float[]?> EmbedAsync(string model, string text, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(vectors is not null && vectors.TryGetValue(text, out var vector) ? vector : null);
    }
}
