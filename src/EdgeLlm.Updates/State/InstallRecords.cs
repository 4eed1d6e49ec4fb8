namespace EdgeLlm.Updates.State;

/// <summary>An installed model, policy or config set: its active version, the previous one kept for rollback, and whether the active one proved itself.</summary>
public sealed class InstalledItem
{
    /// <summary><c>model:&lt;name&gt;</c>, <c>policy:&lt;name&gt;</c> or <c>config:&lt;bundle&gt;</c>.</summary>
    public string Id { get; set; } = "";

    public string Kind { get; set; } = "";

    public string Name { get; set; } = "";

    public InstalledVersion? Active { get; set; }

    public InstalledVersion? Previous { get; set; }

    /// <summary>The active version served through its grace period; until then start-ups are counted.</summary>
    public bool Confirmed { get; set; }

    /// <summary>Start-ups since the activation that did not reach confirmation.</summary>
    public int UnconfirmedStarts { get; set; }

    public static string IdOf(string kind, string name) => kind + ":" + name;
}

/// <summary>
/// One installed version. <see cref="Path"/> is the model or policy file (or the config folder); a configured model's or
/// policy's own file has no bundle.
/// </summary>
public sealed class InstalledVersion
{
    public string Version { get; set; } = "";

    public string Path { get; set; } = "";

    /// <summary>The version's own folder under <c>models/</c> or <c>configs/</c>; empty for a configured model.</summary>
    public string Folder { get; set; } = "";

    public string? Bundle { get; set; }

    public string? Channel { get; set; }

    public long Sequence { get; set; }

    public DateTime ActivatedAt { get; set; }
}

/// <summary>The journal of one install: written before each step it guards, so a restart resumes or rolls it back.</summary>
public sealed class InstallPlan
{
    public string Id { get; set; } = "";

    /// <summary>Where the bundle came from: <c>incoming</c>, <c>upload</c>, <c>pull</c>.</summary>
    public string Source { get; set; } = "";

    public string Step { get; set; } = InstallSteps.Staging;

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public string StagingDirectory { get; set; } = "";

    public string? Bundle { get; set; }

    public string? Channel { get; set; }

    public long Sequence { get; set; }

    public DateTime Created { get; set; }

    public List<PlannedItem> Items { get; set; } = [];

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public bool IsFinished => Step is InstallSteps.Done or InstallSteps.Failed or InstallSteps.RolledBack;
}

/// <summary>One artifact of a plan and where it goes.</summary>
public sealed class PlannedItem
{
    public string Kind { get; set; } = "";

    /// <summary>
    /// The model's name (artifact file name without <c>.gguf</c>), the policy set's (without <c>.policy.json</c>) or, for
    /// configs, the bundle's name.
    /// </summary>
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    /// <summary>The artifact's file name.</summary>
    public string FileName { get; set; } = "";

    /// <summary><c>models/&lt;name&gt;/&lt;version&gt;</c>, <c>policies/&lt;name&gt;/&lt;version&gt;</c> or <c>configs/&lt;bundle&gt;/&lt;version&gt;</c>.</summary>
    public string VersionDirectory { get; set; } = "";

    /// <summary>What is served: the model or policy file, or the config or release folder.</summary>
    public string ServedPath => Kind is "model" or "policy" ? System.IO.Path.Combine(VersionDirectory, FileName) : VersionDirectory;
}

/// <summary>The steps of an install plan, in order; the last three are final.</summary>
public static class InstallSteps
{
    public const string Staging = "staging";
    public const string Staged = "staged";
    public const string Placed = "placed";
    public const string Probed = "probed";
    public const string Activated = "activated";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string RolledBack = "rolled_back";
}

/// <summary>Something that happened to an update, kept for <c>GET /admin/updates</c> and telemetry.</summary>
public sealed class UpdateEvent
{
    public int Id { get; set; }

    public DateTime At { get; set; }

    /// <summary><c>installed</c>, <c>refused</c>, <c>update_failed</c>, <c>rolled_back</c>, <c>interrupted</c>, <c>promoted</c> (a canary rollout's candidate became active); for the pull feed <c>feed_stale</c>, <c>feed_rollback</c>, <c>feed_ok</c>.</summary>
    public string Event { get; set; } = "";

    public string? Bundle { get; set; }

    public string? Channel { get; set; }

    public long Sequence { get; set; }

    public string? Code { get; set; }

    public string Message { get; set; } = "";

    /// <summary>An event about <paramref name="plan"/>'s bundle.</summary>
    public static UpdateEvent Of(string kind, InstallPlan plan, string? code, string message) =>
        new() { Event = kind, Bundle = plan.Bundle, Channel = plan.Channel, Sequence = plan.Sequence, Code = code, Message = message };
}

/// <summary>A small named value: the last error, the last check, the pull ETag.</summary>
internal sealed class UpdateNote
{
    public string Id { get; set; } = "";

    public DateTime At { get; set; }

    public string? Code { get; set; }

    public string? Text { get; set; }
}
