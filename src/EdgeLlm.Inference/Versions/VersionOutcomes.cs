using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Versions;

/// <summary>
/// Reads a model's versions' outcome rings: the active version the registry serves under the name, and the candidate
/// beside it. A version not loaded now has an empty window.
/// </summary>
internal sealed class VersionOutcomes(ModelRegistry registry, CandidateModels candidates) : IVersionOutcomes
{
    public VersionWindow Window(string model, ServedVersion version, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(model);
        var loaded = version == ServedVersion.Candidate
            ? candidates.Find(model)
            : registry.Models.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.Ordinal));
        return OutcomeWindow.Of(loaded is null ? [] : loaded.Outcomes.Between(from, to));
    }
}
