using System.Diagnostics.CodeAnalysis;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Endpoints;

/// <summary>
/// Which version of a resolved model serves a request: its candidate when one is loaded and the canary split sends
/// this request there (sticky by API key or <c>user</c>), else the active one. The answer still names the model by its
/// name; while a candidate exists, <c>x-edgellm-version</c> says which version answered.
/// </summary>
internal static class CandidateSelection
{
    public const string VersionHeader = "x-edgellm-version";

    [return: NotNullIfNotNull(nameof(model))]
    public static LoadedModel? For(LoadedModel? model, HttpContext http, string? user)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (model is null)
        {
            return null;
        }

        if (http.RequestServices.GetRequiredService<CandidateModels>().Find(model.Name) is not { } candidate)
        {
            // A fallback to a model without a candidate: the header of an earlier attempt no longer applies.
            http.Response.Headers.Remove(VersionHeader);
            return model;
        }

        var toCandidate = http.RequestServices.GetRequiredService<ICanarySplit>().ToCandidate(model.Name, http.User.GetApiKeyId(), user);
        http.Response.Headers[VersionHeader] = toCandidate ? "candidate" : "active";
        return toCandidate ? candidate : model;
    }
}
