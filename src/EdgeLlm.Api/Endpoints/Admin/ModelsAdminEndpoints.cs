using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Updates.Install;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>POST /admin/models/{name}/rollback</c>: the previous version serves again.</summary>
internal static class ModelsAdminEndpoints
{
    public static async Task RollBackAsync(HttpContext http, string name, [FromServices] ModelRollback rollback)
    {
        switch (await rollback.RollBackAsync(name, http.RequestAborted))
        {
            case RollbackOutcome.RolledBack done:
                await Results.Json(new RollbackResultDto(name, done.From, done.To), ApiJsonContext.Default.RollbackResultDto).ExecuteAsync(http);
                break;
            case RollbackOutcome.NotInstalled:
                await ApiErrorWriter.WriteAsync(http, new ApiError(404, ErrorCodes.ModelNotFound, $"No update installed a model named '{name}'."));
                break;
            case RollbackOutcome.NoPrevious none:
                await ApiErrorWriter.WriteAsync(http, new ApiError(409, ErrorCodes.NoPreviousVersion, $"Model '{name}' {none.Active} has no previous version to go back to."));
                break;
            case RollbackOutcome.Failed failed:
                await ApiErrorWriter.WriteAsync(http, new ApiError(422, ErrorCodes.RollbackFailed, $"The previous version did not answer ({failed.Code}): {failed.Message}"));
                break;
        }
    }
}
