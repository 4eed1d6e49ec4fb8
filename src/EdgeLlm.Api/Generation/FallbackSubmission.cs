using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Offers a request to its models in order: the next one is tried, within the same request, only when one refuses
/// admission with 429 <c>queue_full</c> or 503 <c>model_not_ready</c>; any other answer is final. A routed answer
/// names the model that served it in the <c>x-edgellm-model</c> header.
/// </summary>
internal static class FallbackSubmission
{
    public const string ModelHeader = "x-edgellm-model";

    public static Results<GenerationResult, GenerationStreamResult, ApiError> Submit(
        HttpContext http, RoutedModels routed, RouteResolver router, Func<LoadedModel, Results<GenerationResult, GenerationStreamResult, ApiError>> attempt)
    {
        for (var i = 0; ; i++)
        {
            var model = routed.Models[i];
            var answer = attempt(model);
            var last = i == routed.Models.Count - 1;
            if (!last && answer.Result is ApiError { Code: ErrorCodes.QueueFull or ErrorCodes.ModelNotReady } refused)
            {
                router.FellBack(routed.Route!, model.Name, refused.Code, routed.Models[i + 1].Name);
                continue;
            }

            if (routed.Route is not null)
            {
                http.Response.Headers[ModelHeader] = model.Name;
            }

            return answer;
        }
    }
}
