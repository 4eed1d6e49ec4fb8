using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Turns what asked for a rollout into its journal entry: which version is the candidate (the catalog's previous
/// version, another installed version folder under <c>models/&lt;name&gt;/</c>, a model file, or a bundle's placed
/// model), what it is compared with (the active version), and the steps, interval and stickiness (the request's own,
/// else the settings).
/// </summary>
internal sealed class RolloutCandidates(UpdateStateStore state, UpdatePaths paths, RolloutTransitions transitions, IOptions<UpdatesOptions> options)
{
    public abstract record Resolution;

    public sealed record Resolved(RolloutRecord Rollout) : Resolution;

    public sealed record Refused(RolloutStartOutcome Outcome) : Resolution;

    public Resolution FromRequest(RolloutRequest request)
    {
        if (transitions.ActiveVersion(request.Model) is not { } active)
        {
            return new Refused(new RolloutStartOutcome.NoSuchModel(request.Model));
        }

        if ((request.Version is null) == (request.Path is null))
        {
            return new Refused(new RolloutStartOutcome.Invalid("Give either version (an installed version of the model) or path (a model file), not both."));
        }

        if (request.Steps is { } steps && RolloutSteps.Problem(steps) is { } problem)
        {
            return new Refused(new RolloutStartOutcome.Invalid(problem + "."));
        }

        if (request.Interval is { } interval && (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(7)))
        {
            return new Refused(new RolloutStartOutcome.Invalid("interval must be between 1 second and 7 days."));
        }

        var candidate = request.Version is { } version ? InstalledVersion(request.Model, version) : ModelFile(request.Path!);
        if (candidate is null)
        {
            return new Refused(new RolloutStartOutcome.NoSuchVersion(request.Version is { } v
                ? $"Model '{request.Model}' has no installed version '{v}'."
                : $"No model file at '{request.Path}'."));
        }

        if (candidate.Version == active.Version || Path.GetFullPath(candidate.Path) == Path.GetFullPath(active.Path))
        {
            return new Refused(new RolloutStartOutcome.Invalid($"'{candidate.Version}' is the active version of model '{request.Model}'."));
        }

        return new Resolved(New(request.Model, candidate, active, "admin", request.Steps, request.Interval, request.StickyBy));
    }

    /// <summary>The rollout a bundle asks for, or null when the model has no active version to compare with.</summary>
    public RolloutRecord? FromBundle(InstallPlan plan, PlannedItem item, BundleRollout requested) =>
        transitions.ActiveVersion(item.Name) is { } active
            ? New(item.Name, new InstalledVersion
            {
                Version = item.Version, Path = item.ServedPath, Folder = item.VersionDirectory, Bundle = plan.Bundle, Channel = plan.Channel, Sequence = plan.Sequence,
            }, active, "bundle", requested.Steps, requested.Interval, requested.StickyBy)
            : null;

    private RolloutRecord New(string model, InstalledVersion candidate, InstalledVersion active, string origin, IReadOnlyList<int>? steps, TimeSpan? interval, RolloutStickiness? stickyBy)
    {
        var now = state.Time.GetUtcNow();
        candidate.ActivatedAt = now.UtcDateTime;
        return new RolloutRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Model = model,
            Candidate = candidate,
            ActiveVersion = active.Version,
            Origin = origin,
            Steps = [.. steps ?? options.Value.EffectiveRolloutSteps],
            IntervalTicks = (interval ?? options.Value.RolloutInterval).Ticks,
            StickyBy = (stickyBy ?? options.Value.RolloutStickyBy).ToString(),
            StartedAt = now.UtcDateTime,
            WindowStartTicks = now.UtcTicks,
        };
    }

    /// <summary>The catalog's previous version of that name, else a version folder under <c>models/&lt;name&gt;/</c> holding one GGUF file.</summary>
    private InstalledVersion? InstalledVersion(string model, string version)
    {
        if (state.FindInstalled("model", model)?.Previous is { } previous && previous.Version == version)
        {
            return Copy(previous);
        }

        if (!BundleManifestReader.IsSafeName(version))
        {
            return null;
        }

        var folder = paths.VersionDirectory("model", model, version);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.gguf") : [];
        return files.Length == 1 ? new InstalledVersion { Version = version, Path = files[0], Folder = folder } : null;
    }

    private static InstalledVersion? ModelFile(string path) =>
        File.Exists(path) ? new InstalledVersion { Version = "file:" + Path.GetFileName(path), Path = Path.GetFullPath(path) } : null;

    private static InstalledVersion Copy(InstalledVersion v) =>
        new() { Version = v.Version, Path = v.Path, Folder = v.Folder, Bundle = v.Bundle, Channel = v.Channel, Sequence = v.Sequence };
}
