namespace EdgeLlm.Api.Contracts;

/// <summary>
/// Body of <c>POST /admin/rollouts</c>: the model, and either <c>version</c> (its previous version or another
/// installed version folder) or <c>path</c> (a model file). <c>POST /admin/policies/{name}/rollout</c> takes the same
/// body without <c>model</c>, its version or path being a policy's. Optionally <c>steps</c> (rising percentages ending at 100),
/// <c>interval</c> (an ISO 8601 duration such as <c>PT10M</c>) and <c>sticky_by</c> (<c>api_key</c> or <c>user</c>),
/// each defaulting to the <c>Updates:Rollout*</c> settings.
/// </summary>
public sealed class StartRolloutRequest
{
    public string? Model { get; set; }

    public string? Version { get; set; }

    public string? Path { get; set; }

    public List<int>? Steps { get; set; }

    public string? Interval { get; set; }

    public string? StickyBy { get; set; }
}

/// <summary><c>GET /admin/rollouts</c>: every rollout journaled, newest first (finished ones are kept for a while).</summary>
public sealed record RolloutListDto(IReadOnlyList<RolloutDto> Rollouts);

/// <summary>
/// One rollout, of a model's version (<c>kind</c> model, <c>model</c> and <c>name</c> its name) or of the policy set's
/// (<c>kind</c> policy, <c>name</c> the set's, no <c>model</c>): the candidate against the active version, its state (<c>running</c>, <c>paused</c>, <c>promoting</c>,
/// <c>promoted</c>, <c>aborted</c>), its steps and the share it takes now (<c>weight</c>, percent), the failed and
/// inconclusive windows so far, why it ended (<c>code</c>, <c>message</c>) and the last window judged.
/// </summary>
public sealed record RolloutDto(
    string Id,
    string Kind,
    string Name,
    string? Model,
    string Origin,
    string State,
    string CandidateVersion,
    string CandidatePath,
    string ActiveVersion,
    IReadOnlyList<int> Steps,
    int Step,
    int Weight,
    string Interval,
    string StickyBy,
    int Failures,
    int Inconclusive,
    DateTimeOffset StartedAt,
    DateTimeOffset WindowStart,
    DateTimeOffset? FinishedAt,
    string? Code,
    string? Message,
    RolloutWindowDto? LastWindow);

/// <summary>A judged window: its span, the verdict (<c>passed</c>, <c>failed</c>, <c>inconclusive</c>), the checks that failed, and both versions' figures.</summary>
public sealed record RolloutWindowDto(DateTimeOffset From, DateTimeOffset To, string Verdict, IReadOnlyList<string> Reasons, bool AgainstBaseline, VersionFiguresDto Active, VersionFiguresDto Candidate);

/// <summary>One version's figures in a window: error rate and blocked share as fractions, time to first token p95 in milliseconds, median tokens per second.</summary>
public sealed record VersionFiguresDto(int Requests, double ErrorRate, double? TimeToFirstTokenP95Ms, double? TokensPerSecond, double BlockedShare);
