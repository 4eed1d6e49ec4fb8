using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Offers a request to its models in order, each loaded first when it is an on-demand model out of memory: the next
/// one is tried, within the same request, only when one refuses with 429 <c>queue_full</c> or 503
/// <c>model_not_ready</c> (loading, failed, or no room in the memory budget); any other answer is final. A routed
/// answer names the model that served it in the <c>x-edgellm-model</c> header.
/// </summary>
internal static class FallbackSubmission
{
    public const string ModelHeader = "x-edgellm-model";

    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError>> SubmitAsync(
        HttpContext http, RoutedModels routed, ModelRegistry registry, ModelResidency residency, RouteResolver router, InferenceOptions inference, Func<LoadedModel, Results<GenerationResult, GenerationStreamResult, ApiError>> attempt)
    {
        for (var i = 0; ; i++)
        {
            var last = i == routed.Names.Count - 1;
            var (lease, error) = await ModelResolver.AcquireAsync(registry, residency, routed.Names[i], inference.RequestTimeout, http.RequestAborted);
            Results<GenerationResult, GenerationStreamResult, ApiError> answer;
            string? served = routed.Names[i];
            if (lease is null)
            {
                answer = error!;
            }
            else
            {
                // Queued work keeps the model busy, so the lease is only needed until the attempt handed it over.
                using (lease)
                {
                    served = lease.Model.Name;
                    answer = attempt(lease.Model);
                }
            }

            if (!last && answer.Result is ApiError { Code: ErrorCodes.QueueFull or ErrorCodes.ModelNotReady } refused)
            {
                router.FellBack(routed.Route!, served ?? "", refused.Code, routed.Names[i + 1] ?? "");
                continue;
            }

            if (routed.Route is not null && lease is not null)
            {
                http.Response.Headers[ModelHeader] = served;
            }

            return answer;
        }
    }
}
