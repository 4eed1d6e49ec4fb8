using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Turns what asked for a rollout into its journal entry: which version is the candidate (the catalog's previous
/// version, another installed version folder, a file, or a bundle's placed model or policy), what it is compared with
/// (the active version), and the steps, interval and stickiness (the request's own, else the settings).
/// </summary>
internal sealed class RolloutCandidates(UpdateStateStore state, RolloutTransitions transitions, IOptions<UpdatesOptions> options)
{
    public abstract record Resolution;

    public sealed record Resolved(RolloutRecord Rollout) : Resolution;

    public sealed record Refused(RolloutStartOutcome Outcome) : Resolution;

    public Resolution FromRequest(RolloutRequest request)
    {
        if (!transitions.Knows(request.Kind))
        {
            return new Refused(new RolloutStartOutcome.Invalid($"'{request.Kind}' has no rollouts; a rollout tries a model's version or a policy's."));
        }

        var subject = transitions.Subject(request.Kind);
        if (subject.ActiveVersion(request.Model) is not { } active)
        {
            return new Refused(new RolloutStartOutcome.NoSuchModel(request.Model));
        }

        if ((request.Version is null) == (request.Path is null))
        {
            return new Refused(new RolloutStartOutcome.Invalid($"Give either version (an installed version of the {request.Kind}) or path (a {request.Kind} file), not both."));
        }

        if (request.Steps is { } steps && RolloutSteps.Problem(steps) is { } problem)
        {
            return new Refused(new RolloutStartOutcome.Invalid(problem + "."));
        }

        if (request.Interval is { } interval && (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(7)))
        {
            return new Refused(new RolloutStartOutcome.Invalid("interval must be between 1 second and 7 days."));
        }

        var candidate = request.Version is { } version ? subject.InstalledVersion(request.Model, version) : subject.FromFile(request.Path!);
        if (candidate is null)
        {
            return new Refused(new RolloutStartOutcome.NoSuchVersion(request.Version is { } v
                ? $"{RolloutKinds.Title(request.Kind)} '{request.Model}' has no installed version '{v}'."
                : $"No {request.Kind} file at '{request.Path}'."));
        }

        if (candidate.Version == active.Version || Path.GetFullPath(candidate.Path) == Path.GetFullPath(active.Path))
        {
            return new Refused(new RolloutStartOutcome.Invalid($"'{candidate.Version}' is the active version of {request.Kind} '{request.Model}'."));
        }

        return new Resolved(New(request.Kind, request.Model, candidate, active, "admin", request.Steps, request.Interval, request.StickyBy));
    }

    /// <summary>The rollout a bundle asks for, or null when the model or policy set has no active version to compare with.</summary>
    public RolloutRecord? FromBundle(InstallPlan plan, PlannedItem item, BundleRollout requested) =>
        transitions.ActiveVersion(item.Kind, item.Name) is { } active
            ? New(item.Kind, item.Name, new InstalledVersion
            {
                Version = item.Version, Path = item.ServedPath, Folder = item.VersionDirectory, Bundle = plan.Bundle, Channel = plan.Channel, Sequence = plan.Sequence,
            }, active, "bundle", requested.Steps, requested.Interval, requested.StickyBy)
            : null;

    private RolloutRecord New(string kind, string name, InstalledVersion candidate, InstalledVersion active, string origin, IReadOnlyList<int>? steps, TimeSpan? interval, RolloutStickiness? stickyBy)
    {
        var now = state.Time.GetUtcNow();
        candidate.ActivatedAt = now.UtcDateTime;
        return new RolloutRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Model = name,
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
}
