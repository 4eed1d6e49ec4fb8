using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Routing.Classification;

/// <summary>
/// A rule's nearest-centroid classifier: its example prompts are embedded once, when a request first needs them (the
/// embedding model is served by then), into one unit centroid per target. A request's embedding goes to the target
/// whose centroid is nearest by cosine. Until the centroids exist (the model cannot embed yet) nothing is classified,
/// and the next request tries again.
/// </summary>
internal sealed class RouteClassifier(string route, int ruleIndex, string model, IReadOnlyList<RouteExampleOptions> examples, ILogger logger)
{
    private readonly Lock _gate = new();
    private Task<(string Label, float[] Centroid)[]?>? _preparing;
    private volatile (string Label, float[] Centroid)[]? _centroids;

    /// <summary>The model (name or alias) that embeds the examples and the requests.</summary>
    public string Model => model;

    /// <summary>Whether the centroids are ready.</summary>
    public bool IsReady => _centroids is not null;

    /// <summary>
    /// Embeds the examples unless that was done; true once the centroids are ready. Concurrent callers share one
    /// preparation, which a caller's cancellation does not stop (the next request would only start it again).
    /// </summary>
    public async Task<bool> PrepareAsync(IPromptEmbedder embedder, CancellationToken cancellationToken)
    {
        if (_centroids is not null)
        {
            return true;
        }

        Task<(string Label, float[] Centroid)[]?> preparing;
        lock (_gate)
        {
            preparing = _preparing ??= BuildAsync(embedder);
        }

        (string Label, float[] Centroid)[]? centroids;
        try
        {
            centroids = await preparing.WaitAsync(cancellationToken);
        }
        catch (Exception) when (preparing.IsFaulted)
        {
            // An engine fault fails this request; the next one starts afresh rather than inheriting the fault.
            Forget(preparing);
            throw;
        }

        if (centroids is null)
        {
            Forget(preparing);
            return false;
        }

        _centroids = centroids;
        return true;
    }

    /// <summary>The nearest target to a request's unit embedding, or null before the centroids are ready.</summary>
    public (string Target, float Similarity)? Classify(float[] unitEmbedding) =>
        _centroids is { } centroids ? Centroids.Nearest(centroids, unitEmbedding) : null;

    private void Forget(Task preparing)
    {
        lock (_gate)
        {
            if (_preparing == preparing)
            {
                _preparing = null;
            }
        }
    }

    private async Task<(string Label, float[] Centroid)[]?> BuildAsync(IPromptEmbedder embedder)
    {
        var watch = Stopwatch.StartNew();
        var centroids = new List<(string, float[])>(examples.Count);
        foreach (var target in examples)
        {
            var vectors = new List<float[]>(target.Prompts.Count);
            foreach (var prompt in target.Prompts)
            {
                if (await embedder.EmbedAsync(model, prompt, CancellationToken.None) is not { } vector)
                {
                    RoutingLog.ClassifierNotReady(logger, route, ruleIndex, model);
                    return null;
                }

                vectors.Add(vector);
            }

            centroids.Add((target.Target, Centroids.Of(vectors)));
        }

        RoutingLog.ClassifierReady(logger, route, ruleIndex, model, centroids.Count, examples.Sum(e => e.Prompts.Count), watch.Elapsed.TotalMilliseconds);
        return [.. centroids];
    }
}
