using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Versions;

/// <summary>
/// Changes which versions of a model serve, without a restart and one change at a time. A new version is loaded next
/// to the running one and must answer a short generation before it takes requests: as the active version (a switch:
/// the registry entry is swapped, so new requests start on the new version while those admitted on the old one finish
/// there before it unloads), or as a candidate beside the active one (<see cref="CandidateModels"/>), which a promote
/// swaps in the same way. The serving version keeps serving when anything fails. A model or a candidate is taken out of
/// service the same way: unreachable first, unloaded once drained.
/// </summary>
internal sealed class ModelVersions(
    ModelLoader loader, ModelRegistry registry, CandidateModels candidates, VersionProbe probe, IOptions<InferenceOptions> options, ILogger<ModelVersions> logger, ModelResidency residency) : IModelVersions
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task<VersionProbeFailure?> ProbeAsync(ModelOptions version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return probe.RunAsync(version, cancellationToken);
    }

    public async Task<ModelSwitchResult> SwitchAsync(ModelOptions version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (loaded, failure) = await LoadCheckedAsync(version, cancellationToken);
            if (loaded is null)
            {
                return failure!;
            }

            var replaced = registry.Replace(loaded);
            InferenceLog.ModelSwitched(logger, loaded.Name, loaded.FilePath, replaced?.FilePath);
            if (replaced is not null)
            {
                _ = RetireAsync(replaced);
            }

            return new ModelSwitchResult.Switched(loaded.Name, loaded.FilePath);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ModelSwitchResult> LoadCandidateAsync(ModelOptions version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var name = version.EffectiveName;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await registry.Ready.WaitAsync(cancellationToken);
            if (!Serves(name))
            {
                return new ModelSwitchResult.Failed("no_active_version", $"Model '{name}' has no active version to try a candidate beside.");
            }

            if (candidates.Find(name) is { } existing)
            {
                // Asking again for the candidate already loaded (a rollout resuming) is no change.
                return existing.FilePath == Path.GetFullPath(version.Path)
                    ? new ModelSwitchResult.Switched(existing.Name, existing.FilePath)
                    : new ModelSwitchResult.Failed("candidate_exists", $"Model '{name}' already has a candidate from {existing.FilePath}; retire it first.");
            }

            try
            {
                if (residency.RoomFor(version) is { } noRoom)
                {
                    return new ModelSwitchResult.Failed("memory_budget_exceeded", noRoom);
                }
            }
            catch (ModelLoadException ex)
            {
                return new ModelSwitchResult.Failed(ex.Code ?? "load_failed", ex.Message);
            }

            var (loaded, failure) = await LoadCheckedAsync(version, cancellationToken);
            if (loaded is null)
            {
                return failure!;
            }

            candidates.Add(loaded);
            InferenceLog.CandidateLoaded(logger, loaded.Name, loaded.FilePath);
            return new ModelSwitchResult.Switched(loaded.Name, loaded.FilePath);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> PromoteCandidateAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (candidates.Find(name) is not { } candidate)
            {
                return false;
            }

            // Served under the name before it leaves the candidates, so a request finds one of the two versions throughout.
            var replaced = registry.Replace(candidate);
            candidates.Remove(name);
            InferenceLog.CandidatePromoted(logger, candidate.Name, candidate.FilePath, replaced?.FilePath);
            if (replaced is not null)
            {
                _ = RetireAsync(replaced);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> RetireCandidateAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        LoadedModel? candidate;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            candidate = candidates.Remove(name);
        }
        finally
        {
            _gate.Release();
        }

        if (candidate is null)
        {
            return false;
        }

        InferenceLog.CandidateRetiring(logger, candidate.Name, candidate.FilePath);
        await RetireAsync(candidate);
        return true;
    }

    public async Task<bool> WithdrawAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        LoadedModel? withdrawn;
        LoadedModel? candidate;
        string? path;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            path = registry.FindSlot(name) is { } slot && slot.Name == name ? slot.Version.Path : null;
            withdrawn = registry.Remove(name);
            candidate = path is null ? null : candidates.Remove(name);
        }
        finally
        {
            _gate.Release();
        }

        if (path is null)
        {
            return false;
        }

        InferenceLog.ModelWithdrawn(logger, name, withdrawn?.FilePath ?? Path.GetFullPath(path));
        await Task.WhenAll(withdrawn is null ? Task.CompletedTask : RetireAsync(withdrawn), candidate is null ? Task.CompletedTask : RetireAsync(candidate));
        return true;
    }

    public string? CandidatePath(string name) => candidates.Find(name)?.FilePath;

    /// <summary>Whether <paramref name="name"/> is served (its active version may be an on-demand model out of memory).</summary>
    private bool Serves(string name) => registry.Slots.Any(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>The version loaded and answering its health check, or why not (nothing stays loaded then).</summary>
    private async Task<(LoadedModel? Loaded, ModelSwitchResult.Failed? Failure)> LoadCheckedAsync(ModelOptions version, CancellationToken cancellationToken)
    {
        await registry.Ready.WaitAsync(cancellationToken);
        LoadedModel loaded;
        try
        {
            loaded = await Task.Run(() => loader.Load(version), cancellationToken);
        }
        catch (ModelLoadException ex)
        {
            return (null, new ModelSwitchResult.Failed(ex.Code ?? "load_failed", ex.Message));
        }

        try
        {
            await ModelHealthCheck.RunAsync(loaded, VersionProbe.HealthCheckTokens, cancellationToken);
            return (loaded, null);
        }
        catch (ModelLoadException ex)
        {
            await loaded.DisposeAsync();
            return (null, new ModelSwitchResult.Failed(ex.Code ?? "health_check_failed", ex.Message));
        }
        catch (OperationCanceledException)
        {
            await loaded.DisposeAsync();
            throw;
        }
    }

    private async Task RetireAsync(LoadedModel model)
    {
        try
        {
            await model.RetireAsync(options.Value.RequestTimeout);
            InferenceLog.ModelRetired(logger, model.Name, model.FilePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            InferenceLog.ModelRetireFailed(logger, model.Name, ex);
        }
    }
}
