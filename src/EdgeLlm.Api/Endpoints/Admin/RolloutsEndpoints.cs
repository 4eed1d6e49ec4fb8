using System.Xml;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary>
/// <c>/admin/rollouts</c>: the canary rollouts of models and of the policy set (list), a new one on an installed
/// version or a model file (start), and the operator's pause, resume, promotion now and abort of a model's rollout
/// (a policy's: <see cref="PolicyRolloutsEndpoints"/>).
/// </summary>
internal static class RolloutsEndpoints
{
    public static Ok<RolloutListDto> List([FromServices] CanaryRollouts rollouts) =>
        TypedResults.Ok(new RolloutListDto([.. rollouts.List().Select(Dto)]));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> StartAsync(HttpRequest request, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.StartRolloutRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.Model))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "model names the model to roll a version out for.", "model");
        }

        return await StartRolloutAsync(rollouts, RolloutKinds.Model, body.Model, body, cancellationToken);
    }

    /// <summary>Starts the rollout <paramref name="body"/> asks for, of the model or policy set <paramref name="name"/>.</summary>
    public static async Task<Results<Ok<RolloutDto>, ApiError>> StartRolloutAsync(CanaryRollouts rollouts, string kind, string name, StartRolloutRequest body, CancellationToken cancellationToken)
    {
        TimeSpan? interval = null;
        if (body.Interval is { } text)
        {
            try
            {
                interval = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                return new ApiError(400, ErrorCodes.InvalidParameter, "interval must be an ISO 8601 duration such as PT10M.", "interval");
            }
        }

        if (body.StickyBy is not (null or "api_key" or "user"))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "sticky_by must be api_key or user.", "sticky_by");
        }

        var asked = new RolloutRequest(name, body.Version, body.Path, body.Steps, interval, body.StickyBy switch
        {
            "api_key" => RolloutStickiness.ApiKey,
            "user" => RolloutStickiness.User,
            _ => null,
        }, kind);
        return await rollouts.StartAsync(asked, cancellationToken) switch
        {
            RolloutStartOutcome.Started started => TypedResults.Ok(Dto(started.Rollout)),
            RolloutStartOutcome.NoSuchModel or RolloutStartOutcome.NoActiveVersion when kind == RolloutKinds.Policy =>
                new ApiError(404, ErrorCodes.PolicyNotFound, $"No policy set named '{name}' is in force (installed or configured)."),
            RolloutStartOutcome.NoSuchModel or RolloutStartOutcome.NoActiveVersion => new ApiError(404, ErrorCodes.ModelNotFound, $"No model named '{name}' is served.", "model"),
            RolloutStartOutcome.NoSuchVersion none => new ApiError(404, ErrorCodes.VersionNotFound, none.Message, body.Version is null ? "path" : "version"),
            RolloutStartOutcome.AlreadyRunning running => new ApiError(409, ErrorCodes.RolloutRunning, $"{RolloutKinds.Title(kind)} '{name}' already has a rollout ({running.Rollout.State}, {running.Rollout.Candidate.Version} at {running.Rollout.Weight} %)."),
            RolloutStartOutcome.Invalid invalid => new ApiError(400, ErrorCodes.InvalidParameter, invalid.Message),
            RolloutStartOutcome.CandidateFailed failed => new ApiError(422, ErrorCodes.CandidateLoadFailed, failed.Message),
            _ => throw new InvalidOperationException("Unknown rollout start outcome."),
        };
    }

    public static async Task<Results<Ok<RolloutDto>, ApiError>> PauseAsync(string model, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        Answer(RolloutKinds.Model, model, "running", await rollouts.PauseAsync(RolloutKinds.Model, model, cancellationToken));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> ResumeAsync(string model, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        Answer(RolloutKinds.Model, model, "paused", await rollouts.ResumeAsync(RolloutKinds.Model, model, cancellationToken));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> PromoteAsync(string model, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        Answer(RolloutKinds.Model, model, "running or paused", await rollouts.PromoteAsync(RolloutKinds.Model, model, cancellationToken));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> AbortAsync(string model, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        Answer(RolloutKinds.Model, model, "running or paused", await rollouts.AbortAsync(RolloutKinds.Model, model, cancellationToken));

    /// <summary>An operator command's answer: the rollout as journaled now, or 409 when none is <paramref name="needed"/>.</summary>
    public static Results<Ok<RolloutDto>, ApiError> Answer(string kind, string name, string needed, RolloutCommandOutcome outcome) => outcome switch
    {
        RolloutCommandOutcome.Done done => TypedResults.Ok(Dto(done.Rollout)),
        RolloutCommandOutcome.NotRunning => new ApiError(409, ErrorCodes.RolloutNotRunning, $"{RolloutKinds.Title(kind)} '{name}' has no rollout that is {needed}."),
        _ => throw new InvalidOperationException("Unknown rollout command outcome."),
    };

    private static RolloutDto Dto(RolloutRecord r) => new(
        r.Id, r.Kind, r.Model, r.Kind == RolloutKinds.Model ? r.Model : null, r.Origin, r.State, r.Candidate.Version, r.Candidate.Path, r.ActiveVersion, r.Steps, r.StepIndex, r.Weight, XmlConvert.ToString(r.Interval),
        r.StickyBy == nameof(RolloutStickiness.User) ? "user" : "api_key", r.Failures, r.Inconclusive, Utc(r.StartedAt), new DateTimeOffset(r.WindowStartTicks, TimeSpan.Zero),
        r.FinishedAt is { } finished ? Utc(finished) : null, r.Code, r.Message,
        r.Last is { } last ? new RolloutWindowDto(Utc(last.From), Utc(last.To), last.Verdict, last.Reasons, last.AgainstBaseline, Figures(last.Active), Figures(last.Candidate)) : null);

    private static VersionFiguresDto Figures(WindowFigures f) => new(f.Requests, f.ErrorRate, f.TimeToFirstTokenP95Ms, f.TokensPerSecond, f.BlockedShare);

    // LiteDB hands dates back in local time.
    private static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);
}
