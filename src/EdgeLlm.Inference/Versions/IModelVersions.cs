using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Versions;

/// <summary>
/// The one seam between what brings new model versions (the update installer, canary rollouts) and the running
/// models: probe a version, load it as a candidate beside the active one, switch or promote, retire.
/// </summary>
public interface IModelVersions
{
    /// <summary>Tries <paramref name="version"/> where a crash cannot reach the daemon, with the settings it will be served with; null when it loads and generates.</summary>
    Task<VersionProbeFailure?> ProbeAsync(ModelOptions version, CancellationToken cancellationToken);

    /// <summary>Loads <paramref name="version"/> and serves it for every new request at once; the replaced version retires once drained.</summary>
    Task<ModelSwitchResult> SwitchAsync(ModelOptions version, CancellationToken cancellationToken);

    /// <summary>
    /// Loads <paramref name="version"/> beside the active version of the same name as its candidate (health-checked first);
    /// requests reach it only when <see cref="ICanarySplit"/> sends them.
    /// </summary>
    Task<ModelSwitchResult> LoadCandidateAsync(ModelOptions version, CancellationToken cancellationToken);

    /// <summary>The candidate of <paramref name="name"/> becomes its active version; the old active one retires once drained. False when there is no candidate.</summary>
    Task<bool> PromoteCandidateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Unloads the candidate of <paramref name="name"/> once its admitted requests finish. False when there is no candidate.</summary>
    Task<bool> RetireCandidateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Takes <paramref name="name"/> out of service; returns once it is unloaded. False when no model of that name serves.</summary>
    Task<bool> WithdrawAsync(string name, CancellationToken cancellationToken);

    /// <summary>The file the candidate of <paramref name="name"/> was loaded from, or null when it has none.</summary>
    string? CandidatePath(string name);
}

/// <summary>Why a version failed its probe (a stable code and a message for the operator).</summary>
public sealed record VersionProbeFailure(string Code, string Message);
