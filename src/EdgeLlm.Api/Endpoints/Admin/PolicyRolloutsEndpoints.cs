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
/// <c>/admin/policies/{name}/rollout</c>: a canary rollout of an installed version (or a file) of the policy set, and
/// the operator's pause, resume, promotion now and abort of it. Listed with the models' in <c>GET /admin/rollouts</c>.
/// </summary>
internal static class PolicyRolloutsEndpoints
{
    public static async Task<Results<Ok<RolloutDto>, ApiError>> StartAsync(string name, HttpRequest request, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.StartRolloutRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.Model is not null)
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "A policy rollout names its policy set in the path, not model.", "model");
        }

        return await RolloutsEndpoints.StartRolloutAsync(rollouts, RolloutKinds.Policy, name, body, cancellationToken);
    }

    public static async Task<Results<Ok<RolloutDto>, ApiError>> PauseAsync(string name, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        RolloutsEndpoints.Answer(RolloutKinds.Policy, name, "running", await rollouts.PauseAsync(RolloutKinds.Policy, name, cancellationToken));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> ResumeAsync(string name, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        RolloutsEndpoints.Answer(RolloutKinds.Policy, name, "paused", await rollouts.ResumeAsync(RolloutKinds.Policy, name, cancellationToken));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> PromoteAsync(string name, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        RolloutsEndpoints.Answer(RolloutKinds.Policy, name, "running or paused", await rollouts.PromoteAsync(RolloutKinds.Policy, name, cancellationToken));

    public static async Task<Results<Ok<RolloutDto>, ApiError>> AbortAsync(string name, [FromServices] CanaryRollouts rollouts, CancellationToken cancellationToken) =>
        RolloutsEndpoints.Answer(RolloutKinds.Policy, name, "running or paused", await rollouts.AbortAsync(RolloutKinds.Policy, name, cancellationToken));
}
