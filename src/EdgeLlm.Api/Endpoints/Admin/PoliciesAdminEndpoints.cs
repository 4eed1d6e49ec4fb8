using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>POST /admin/policies/{name}/rollback</c>: the previous guardrail policy is in force again, without a restart.</summary>
internal static class PoliciesAdminEndpoints
{
    public static async Task<Results<Ok<RollbackResultDto>, ApiError>> RollBackAsync(string name, [FromServices] PolicyRollback rollback, CancellationToken cancellationToken) =>
        await rollback.RollBackAsync(name, cancellationToken) switch
        {
            RollbackOutcome.RolledBack done => TypedResults.Ok(new RollbackResultDto(name, done.From, done.To)),
            RollbackOutcome.NotInstalled => new ApiError(404, ErrorCodes.PolicyNotFound, $"No update installed a policy set named '{name}'."),
            RollbackOutcome.NoPrevious none => new ApiError(409, ErrorCodes.NoPreviousVersion, $"Policy '{name}' {none.Active} has no previous version to go back to."),
            RollbackOutcome.Failed failed => new ApiError(422, ErrorCodes.RollbackFailed, $"The previous policy cannot be put in force ({failed.Code}): {failed.Message}"),
            _ => throw new InvalidOperationException("Unknown rollback outcome."),
        };
}
