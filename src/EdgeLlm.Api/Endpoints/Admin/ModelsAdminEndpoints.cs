using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.Install;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary>
/// <c>POST /admin/models/{name}/rollback</c>: the previous version serves again; <c>/load</c> and <c>/unload</c>: the
/// operator loads a model now or unloads an idle on-demand one.
/// </summary>
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

    public static async Task<Results<Ok<ModelStateChangeDto>, ApiError>> LoadAsync(string name, [FromServices] ModelResidency residency, CancellationToken cancellationToken) =>
        Answer(name, await residency.LoadNowAsync(name, cancellationToken));

    public static async Task<Results<Ok<ModelStateChangeDto>, ApiError>> UnloadAsync(string name, [FromServices] ModelResidency residency) =>
        Answer(name, await residency.UnloadNowAsync(name));

    private static Results<Ok<ModelStateChangeDto>, ApiError> Answer(string name, OperatorModelChange change) => change switch
    {
        OperatorModelChange.Done done => TypedResults.Ok(new ModelStateChangeDto(name, ModelStates.Of(done.State))),
        OperatorModelChange.Refused refused => new ApiError(409, ErrorCodes.ModelStateConflict, refused.Message),
        _ => new ApiError(404, ErrorCodes.ModelNotFound, $"No served model is named '{name}'."),
    };
}
