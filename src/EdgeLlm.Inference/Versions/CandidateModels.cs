using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Versions;

/// <summary>
/// The candidate versions loaded beside their model's active one, by model name: kept apart from the
/// <see cref="ModelRegistry"/>, so a name still finds its active version and only a canary split sends requests here.
/// Changed only by <see cref="ModelVersions"/>; the candidates left at shutdown are unloaded with the container.
/// </summary>
public sealed class CandidateModels : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Dictionary<string, LoadedModel> _candidates = new(StringComparer.Ordinal);

    /// <summary>The candidate of the model named <paramref name="name"/> (its name, not an alias), or null.</summary>
    public LoadedModel? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Volatile.Read(ref _candidates).GetValueOrDefault(name);
    }

    /// <summary>Every candidate loaded now.</summary>
    public IReadOnlyCollection<LoadedModel> All => Volatile.Read(ref _candidates).Values;

    internal void Add(LoadedModel candidate) => Change(candidate.Name, candidate);

    /// <summary>Takes the candidate of <paramref name="name"/> out (requests no longer reach it); returns it, or null.</summary>
    internal LoadedModel? Remove(string name) => Change(name, null);

    private LoadedModel? Change(string name, LoadedModel? candidate)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, LoadedModel>(_candidates, StringComparer.Ordinal);
            next.Remove(name, out var previous);
            if (candidate is not null)
            {
                next[name] = candidate;
            }

            Volatile.Write(ref _candidates, next);
            return previous;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Dictionary<string, LoadedModel> left;
        lock (_gate)
        {
            left = _candidates;
            _candidates = new(StringComparer.Ordinal);
        }

        foreach (var candidate in left.Values)
        {
            await candidate.DisposeAsync();
        }
    }
}
