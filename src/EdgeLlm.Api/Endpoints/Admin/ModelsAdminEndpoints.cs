using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Updates.Install;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>POST /admin/models/{name}/rollback</c>: the previous version serves again.</summary>
internal static class ModelsAdminEndpoints
{
    public static async Task<Results<Ok<RollbackResultDto>, ApiError>> RollBackAsync(string name, [FromServices] ModelRollback rollback, CancellationToken cancellationToken) =>
        await rollback.RollBackAsync(name, cancellationToken) switch
        {
            RollbackOutcome.RolledBack done => TypedResults.Ok(new RollbackResultDto(name, done.From, done.To)),
            RollbackOutcome.NotInstalled => new ApiError(404, ErrorCodes.ModelNotFound, $"No update installed a model named '{name}'."),
            RollbackOutcome.NoPrevious none => new ApiError(409, ErrorCodes.NoPreviousVersion, $"Model '{name}' {none.Active} has no previous version to go back to."),
            RollbackOutcome.Failed failed => new ApiError(422, ErrorCodes.RollbackFailed, $"The previous version did not answer ({failed.Code}): {failed.Message}"),
            _ => throw new InvalidOperationException("Unknown rollback outcome."),
        };
}
