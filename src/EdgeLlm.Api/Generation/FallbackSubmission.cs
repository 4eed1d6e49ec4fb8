using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Offers a request to its models in order, each loaded first when it is an on-demand model out of memory, each on its
/// canary candidate when the split says so: the next one is tried, within the same request, only when one refuses with
/// 429 <c>queue_full</c> or 503 <c>model_not_ready</c> (loading, failed, or no room in the memory budget); any other
/// answer is final. The route's chosen target answers through its cascade when the rule has one. A routed answer names
/// the model that served it in the <c>x-edgellm-model</c> header.
/// </summary>
internal static class FallbackSubmission
{
    public const string ModelHeader = "x-edgellm-model";

    // prepare makes the request for one model (its template, its context), or says why it cannot be made.
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError>> SubmitAsync(
        HttpContext http,
        RoutedModels routed,
        ModelRegistry registry,
        ModelResidency residency,
        RouteResolver router,
        InferenceOptions inference,
        string? user,
        Func<LoadedModel, (GenerationAttempt? Attempt, ApiError? Error)> prepare)
    {
        for (var i = 0; ; i++)
        {
            var last = i == routed.Names.Count - 1;
            var (lease, error) = await ModelResolver.AcquireAsync(registry, residency, routed.Names[i], inference.RequestTimeout, http.RequestAborted);
            Results<GenerationResult, GenerationStreamResult, ApiError> answer = error!;
            LoadedModel? served = null;
            if (lease is not null)
            {
                // Queued work keeps the model busy, so the lease is only needed until the attempt handed it over.
                using (lease)
                {
                    var model = CandidateSelection.For(lease.Model, http, user);
                    (answer, served) = i == 0 && routed.Escalation is { } escalation
                        ? await CascadeSubmission.SubmitAsync(http, routed.Route!, escalation, model, registry, residency, inference, router, prepare)
                        : (Submit(http, model, prepare), model);
                }
            }

            if (!last && answer.Result is ApiError { Code: ErrorCodes.QueueFull or ErrorCodes.ModelNotReady } refused)
            {
                router.FellBack(routed.Route!, served?.Name ?? routed.Names[i] ?? "", refused.Code, routed.Names[i + 1] ?? "");
                continue;
            }

            if (routed.Route is not null && served is not null)
            {
                http.Response.Headers[ModelHeader] = served.Name;
            }

            return answer;
        }
    }

    private static Results<GenerationResult, GenerationStreamResult, ApiError> Submit(
        HttpContext http, LoadedModel model, Func<LoadedModel, (GenerationAttempt? Attempt, ApiError? Error)> prepare)
    {
        var (attempt, error) = prepare(model);
        return error ?? attempt!.Submit(http, model);
    }
}
