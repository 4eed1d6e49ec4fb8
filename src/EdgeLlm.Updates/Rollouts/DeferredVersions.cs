using EdgeLlm.Inference;
using EdgeLlm.Inference.Versions;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Inference's <see cref="IModelVersions"/>, found when first called rather than when the installer and the rollouts
/// are built: until Inference registers its implementation the daemon still starts and installs as before, and only a
/// rollout fails (with a missing-service error). Delete once Inference registers it (issue 16's composition).
/// </summary>
internal sealed class DeferredModelVersions(IServiceProvider services) : IModelVersions
{
    private IModelVersions Target => services.GetRequiredService<IModelVersions>();

    public Task<VersionProbeFailure?> ProbeAsync(ModelOptions version, CancellationToken cancellationToken) => Target.ProbeAsync(version, cancellationToken);

    public Task<Inference.Models.ModelSwitchResult> SwitchAsync(ModelOptions version, CancellationToken cancellationToken) => Target.SwitchAsync(version, cancellationToken);

    public Task<Inference.Models.ModelSwitchResult> LoadCandidateAsync(ModelOptions version, CancellationToken cancellationToken) => Target.LoadCandidateAsync(version, cancellationToken);

    public Task<bool> PromoteCandidateAsync(string name, CancellationToken cancellationToken) => Target.PromoteCandidateAsync(name, cancellationToken);

    public Task<bool> RetireCandidateAsync(string name, CancellationToken cancellationToken) => Target.RetireCandidateAsync(name, cancellationToken);

    public Task<bool> WithdrawAsync(string name, CancellationToken cancellationToken) => Target.WithdrawAsync(name, cancellationToken);

    public string? CandidatePath(string name) => Target.CandidatePath(name);
}

/// <summary>Inference's <see cref="IVersionOutcomes"/>, found when first called (see <see cref="DeferredModelVersions"/>).</summary>
internal sealed class DeferredVersionOutcomes(IServiceProvider services) : IVersionOutcomes
{
    public VersionWindow Window(string model, ServedVersion version, DateTimeOffset from, DateTimeOffset to) =>
        services.GetRequiredService<IVersionOutcomes>().Window(model, version, from, to);
}
