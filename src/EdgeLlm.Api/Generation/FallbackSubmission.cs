using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Offers a request to its models in order: the next one is tried, within the same request, only when one refuses
/// admission with 429 <c>queue_full</c> or 503 <c>model_not_ready</c>; any other answer is final. The route's chosen
/// target answers through its cascade when the rule has one. A routed answer names the model that served it in the
/// <c>x-edgellm-model</c> header.
/// </summary>
internal static class FallbackSubmission
{
    public const string ModelHeader = "x-edgellm-model";

    // prepare makes the request for one model (its template, its context), or says why it cannot be made.
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError>> SubmitAsync(
        HttpContext http, RoutedModels routed, RouteResolver router, ModelRegistry registry, Func<LoadedModel, (GenerationAttempt? Attempt, ApiError? Error)> prepare)
    {
        for (var i = 0; ; i++)
        {
            var model = routed.Models[i];
            var (answer, served) = i == 0 && routed.Escalation is { } escalation
                ? await CascadeSubmission.SubmitAsync(http, routed.Route!, escalation, model, registry, router, prepare)
                : (Submit(http, model, prepare), model);
            var last = i == routed.Models.Count - 1;
            if (!last && answer.Result is ApiError { Code: ErrorCodes.QueueFull or ErrorCodes.ModelNotReady } refused)
            {
                router.FellBack(routed.Route!, model.Name, refused.Code, routed.Models[i + 1].Name);
                continue;
            }

            if (routed.Route is not null)
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
