using EdgeLlm.Inference;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.Releases;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Installs bundles one at a time, shaped as plan → run → report with the plan journaled before every step:
/// stage (verified while copied; a policy read and compiled), place into <c>models/&lt;name&gt;/&lt;version&gt;/</c> (or
/// <c>policies/</c>), probe each model in a child process, activate (one transaction: catalog, replay floor, journal),
/// switch the running models and then the policy in force, report. A crash before activation is rolled back at the
/// next start; after it, the new version serves and start-ups are counted until it is confirmed
/// (<see cref="StartupRecovery"/>).
/// </summary>
public sealed class UpdateInstaller(
    UpdateStateStore state,
    UpdatePaths paths,
    IModelVersions versions,
    ActivationSwitch activation,
    PolicySwitch policies,
    StorageCollector storage,
    ReleaseInstaller releases,
    InstallLock installLock,
    RecoveryGate recovery,
    CanaryRollouts rollouts,
    IHostApplicationLifetime lifetime,
    IOptions<InferenceOptions> inference,
    ILogger<UpdateInstaller> logger)
{
    /// <summary>The staging folder of the plan running now, which the collector must leave alone.</summary>
    internal string? RunningStaging { get; private set; }

    /// <summary>Runs one install.</summary>
    /// <param name="source">Where the bundle came from, for the journal and the log.</param>
    /// <param name="stage">
    /// Fills the given staging folder with the verified artifacts (<see cref="BundleArchive"/>,
    /// <see cref="BundleDownloader"/>, <see cref="Sources.BundleFolder"/>) and returns the verdict.
    /// </param>
    /// <param name="cancellationToken">Stops the install; what it did is rolled back at the next start.</param>
    /// <param name="activated">Called at the commit point, e.g. to remove the bundle from the drop folder.</param>
    /// <param name="quietCodes">Refusals that are a normal state (nothing new to pull), kept out of the history.</param>
    public async Task<InstallOutcome> InstallAsync(
        string source, Func<string, CancellationToken, Task<BundleCheck>> stage, CancellationToken cancellationToken, Action? activated = null, IReadOnlySet<string>? quietCodes = null)
    {
        await recovery.Opened.WaitAsync(cancellationToken);
        using var held = await installLock.TakeAsync(cancellationToken);
        var plan = new InstallPlan
        {
            Id = Guid.NewGuid().ToString("N"),
            Source = source,
            StartedAt = state.Time.GetUtcNow().UtcDateTime,
        };
        plan.StagingDirectory = Path.Combine(paths.Staging, plan.Id);
        RunningStaging = plan.StagingDirectory;
        try
        {
            state.SavePlan(plan);
            BundleCheck check;
            try
            {
                check = await StageAsync(plan, stage, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The client or the source went away before anything was placed: nothing to keep.
                Discard(plan);
                state.ForgetPlan(plan);
                throw;
            }

            if (check is BundleCheck.Refused refused)
            {
                return Refuse(plan, refused.Code, refused.Message, quietCodes?.Contains(refused.Code) == true);
            }

            var accepted = (BundleCheck.Accepted)check;
            FaultPoints.Hit(FaultPoints.AfterStage);
            var switchedIn = new List<PlannedItem>();
            try
            {
                // Once staged, the install no longer depends on whoever sent the bundle; only shutdown stops it.
                return await RunAsync(plan, accepted.Manifest, activated, switchedIn, lifetime.ApplicationStopping);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                if (plan.Step == InstallSteps.Activated)
                {
                    await activation.RollBackAsync(plan, switchedIn, lifetime.ApplicationStopping);
                }
                else
                {
                    InstallFiles.RemovePlaced(state, plan);
                }

                return Fail(plan, "install_failed", "The install could not complete: " + ex.Message);
            }
        }
        finally
        {
            RunningStaging = null;
        }
    }

    private async Task<BundleCheck> StageAsync(InstallPlan plan, Func<string, CancellationToken, Task<BundleCheck>> stage, CancellationToken cancellationToken)
    {
        try
        {
            var check = await stage(Path.Combine(plan.StagingDirectory, "files"), cancellationToken);
            if (check is BundleCheck.Accepted accepted && InstallPlanner.Plan(plan, accepted.Manifest, paths) is { } invalid)
            {
                return invalid;
            }

            if (check is BundleCheck.Accepted && storage.Refuses(plan) is { } tooBig)
            {
                return tooBig;
            }

            if (check is BundleCheck.Accepted signed && PolicyArtifacts.CheckStaged(plan, state, GuardModels()) is { } invalidPolicy)
            {
                // The publisher signed it: its sequence is spent, so a pull does not fetch it again at every check.
                state.RecordAccepted(signed.Manifest.Channel, signed.Manifest.Sequence, signed.Manifest.Created);
                return invalidPolicy;
            }

            return check;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            return new BundleCheck.Refused(BundleErrors.StagingFailed, "The bundle could not be staged: " + ex.Message);
        }
    }

    private async Task<InstallOutcome> RunAsync(InstallPlan plan, BundleManifest manifest, Action? activated, List<PlannedItem> switchedIn, CancellationToken cancellationToken)
    {
        plan.Step = InstallSteps.Staged;
        state.SavePlan(plan);

        Place(plan);
        foreach (var item in plan.Items.Where(i => i.Kind == "daemon"))
        {
            if (await releases.PlaceAsync(item, Path.Combine(plan.StagingDirectory, "files", item.FileName), cancellationToken) is { } invalid)
            {
                InstallFiles.RemovePlaced(state, plan);
                state.RecordAccepted(manifest.Channel, manifest.Sequence, manifest.Created);
                return Fail(plan, "release_invalid", "The daemon release cannot be installed: " + invalid);
            }
        }

        plan.Step = InstallSteps.Placed;
        state.SavePlan(plan);
        FaultPoints.Hit(FaultPoints.AfterPlace);

        foreach (var item in plan.Items.Where(i => i.Kind is "model" or "daemon"))
        {
            var failure = item.Kind == "model" ? ProbeFailure.Of(await versions.ProbeAsync(inference.Value.ModelVersion(item.Name, item.ServedPath), cancellationToken)) : await releases.ProbeAsync(item, cancellationToken);
            if (failure is not null)
            {
                // A valid bundle that does not run is consumed (its sequence is spent), so it is not retried forever.
                InstallFiles.RemovePlaced(state, plan);
                state.RecordAccepted(manifest.Channel, manifest.Sequence, manifest.Created);
                return Fail(plan, failure.Code, $"{(item.Kind == "model" ? "Model" : "Daemon release")} '{item.Name}' failed its probe: {failure.Message}");
            }
        }

        plan.Step = InstallSteps.Probed;
        state.SavePlan(plan);
        FaultPoints.Hit(FaultPoints.AfterProbe);

        if (manifest.Rollout is { } requested && await StartRolloutAsync(plan, requested, activated, cancellationToken) is { } rolledOut)
        {
            return rolledOut;
        }

        state.Activate(plan, ConfiguredDefaults(plan));
        activated?.Invoke();
        FaultPoints.Hit(FaultPoints.AfterActivate);
        UpdatesLog.Activated(logger, plan.Bundle!, plan.Channel!, plan.Sequence);

        if (await activation.SwitchAsync(plan, switchedIn, cancellationToken) is { } switchFailure)
        {
            await activation.RollBackAsync(plan, switchedIn, cancellationToken);
            var (failedItem, failed) = switchFailure;
            return failedItem.Kind == "policy"
                ? Fail(plan, failed.Code, $"Policy '{failedItem.Name}' could not be put in force: {failed.Message}", InstallSteps.RolledBack)
                : Fail(plan, "health_check_failed", $"Model '{failedItem.Name}' failed its health check after activation ({failed.Code}): {failed.Message}", InstallSteps.RolledBack);
        }

        FaultPoints.Hit(FaultPoints.AfterSwitch);
        Discard(plan);
        state.FinishPlan(plan, InstallSteps.Done, UpdateEvent.Of("installed", plan, null, $"Installed {string.Join(", ", plan.Items.Select(i => $"{i.Kind} {i.Name} {i.Version}"))}."));
        storage.Collect(null);
        foreach (var item in plan.Items.Where(i => i.Kind == "daemon"))
        {
            releases.SwitchAndRestart(item);
        }

        return new InstallOutcome.Installed(plan.Bundle!, plan.Channel!, plan.Sequence, [.. plan.Items.Select(i => $"{i.Kind}:{i.Name}:{i.Version}")]);
    }

    /// <summary>
    /// A manifest that asks for a canary rollout: its (one) model or policy becomes a candidate beside the active version
    /// instead of replacing it (<see cref="CanaryRollouts"/>). Null when it is new to this device: with nothing to
    /// compare it with, it is activated as usual.
    /// </summary>
    private async Task<InstallOutcome?> StartRolloutAsync(InstallPlan plan, BundleRollout requested, Action? activated, CancellationToken cancellationToken)
    {
        switch (await rollouts.StartFromBundleAsync(plan, requested, activated, cancellationToken))
        {
            case RolloutStartOutcome.Started { Rollout: var rollout }:
                Discard(plan);
                state.FinishPlan(plan, InstallSteps.Done, UpdateEvent.Of("installed", plan, null, $"Installed {rollout.Kind} {rollout.Model} {rollout.Candidate.Version} as a candidate; its rollout started at {rollout.Weight} %."));
                return new InstallOutcome.Installed(plan.Bundle!, plan.Channel!, plan.Sequence, [$"{rollout.Kind}:{rollout.Model}:{rollout.Candidate.Version}"]);
            case RolloutStartOutcome.CandidateFailed { Rollout.Kind: RolloutKinds.Policy } failed:
                return Fail(plan, failed.Code, $"Policy '{failed.Rollout.Model}' could not be put on trial: {failed.Message}", InstallSteps.RolledBack);
            case RolloutStartOutcome.CandidateFailed failed:
                return Fail(plan, "health_check_failed", $"Model '{failed.Rollout.Model}' failed its health check as a candidate: {failed.Message}", InstallSteps.RolledBack);
            default:
                return null;
        }
    }

    /// <summary>Moves the staged files into their version folders: each folder appears whole, by one rename.</summary>
    private void Place(InstallPlan plan)
    {
        foreach (var item in plan.Items.Where(i => i.Kind != "daemon"))
        {
            var partial = item.VersionDirectory + ".partial";
            InstallFiles.DeleteDirectory(partial);
            InstallFiles.DeleteDirectory(item.VersionDirectory);

            Directory.CreateDirectory(partial);
            File.Move(Path.Combine(plan.StagingDirectory, "files", item.FileName), Path.Combine(partial, item.FileName));
            Directory.Move(partial, item.VersionDirectory);
        }
    }

    /// <summary>What an item's first installed version replaces: a configured model's or policy's file, or the release that runs now.</summary>
    private Dictionary<string, InstalledVersion> ConfiguredDefaults(InstallPlan plan)
    {
        var now = state.Time.GetUtcNow().UtcDateTime;
        var defaults = inference.Value.Models.ToDictionary(
            m => InstalledItem.IdOf("model", m.EffectiveName),
            m => new InstalledVersion { Version = "configured", Path = Path.GetFullPath(m.Path), ActivatedAt = now });
        defaults[InstalledItem.IdOf("daemon", InstallPlanner.DaemonName)] = new InstalledVersion
        {
            Version = "provisioned", Path = ReleaseSwitch.Current(paths) ?? Path.GetFullPath(AppContext.BaseDirectory).TrimEnd('/'), ActivatedAt = now,
        };
        foreach (var policy in plan.Items.Where(i => i.Kind == "policy"))
        {
            if (policies.ConfiguredDefault(now) is { } configured)
            {
                defaults[InstalledItem.IdOf("policy", policy.Name)] = configured;
            }
        }

        return defaults;
    }

    private InstallOutcome Refuse(InstallPlan plan, string code, string message, bool quiet)
    {
        Discard(plan);
        if (quiet)
        {
            state.ForgetPlan(plan);
        }
        else
        {
            UpdatesLog.Refused(logger, plan.Source, code, message);
            state.FinishPlan(plan, InstallSteps.Failed, UpdateEvent.Of("refused", plan, code, message));
        }

        return new InstallOutcome.Refused(code, message);
    }

    private InstallOutcome.Failed Fail(InstallPlan plan, string code, string message, string step = InstallSteps.Failed)
    {
        Discard(plan);
        UpdatesLog.InstallFailed(logger, plan.Bundle ?? "?", code, message);
        state.FinishPlan(plan, step, UpdateEvent.Of("update_failed", plan, code, message));
        storage.Collect(null);
        return new InstallOutcome.Failed(code, message);
    }

    private static void Discard(InstallPlan plan) => InstallFiles.DeleteDirectory(plan.StagingDirectory);

    private HashSet<string> GuardModels() => PolicyArtifacts.GuardModels(inference.Value);
}
