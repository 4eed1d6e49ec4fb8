using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>POST /v1/completions</c>: raw text continuation. Control tokens written as text stay text.</summary>
internal static class CompletionsEndpoint
{
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError>> HandleAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, GrammarCache grammars, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, ApiJsonContext.Default.CompletionRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.Echo == true || !string.IsNullOrEmpty(body.Suffix))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "echo and suffix are not supported.", body.Echo == true ? "echo" : "suffix");
        }

        var (prompt, promptError) = PromptFields.ReadPrompt(body.Prompt);
        var (topLogprobs, logprobsError) = LogprobsFields.ReadCompletion(body.Logprobs);
        var (constraint, formatError) = ResponseFormatField.Read(body.ResponseFormat, grammars);
        if ((formatError ?? logprobsError ?? promptError) is { } invalid)
        {
            return invalid;
        }

        // Screened before anything else sees the text: the router's classifier is a model too.
        var guard = InputGuardrails.Begin(guardrails, http, body.User);
        (prompt, var blocked) = await InputGuardrails.ScreenAsync(guard, prompt!, http.RequestAborted);
        if (blocked is not null)
        {
            return blocked;
        }

        var routing = await RoutingRequests.PrepareAsync(http, registry, router, body.Model, prompt!, body.ResponseFormat, tools: false, retrieval: false);
        var (routed, modelError) = RoutedModels.Resolve(registry, router, body.Model, () => routing!);
        if ((modelError ?? ServedRoles.ForGeneration(routed!, registry)) is { } refused)
        {
            return refused;
        }

        ApiLog.PromptText(logger, prompt!);
        return await FallbackSubmission.SubmitAsync(http, routed!, registry, residency, router, inference.Value, body.User, model =>
        {
            var (request, requestError) = GenerationRequestFactory.Create(
                body, body.MaxTokens, model, prompt!, parseSpecial: false, inference.Value.DefaultMaxTokens, constraint, topLogprobs);
            if (requestError is not null)
            {
                return (null, requestError);
            }

            var format = new TextCompletionFormat(model.Name, time.GetUtcNow().ToUnixTimeSeconds());
            return (new GenerationAttempt(request!, format, body.Stream, body.StreamOptions?.IncludeUsage == true) { Guard = new GuardedAnswer(guard, [new GuardTurn("user", prompt!)]) }, null);
        });
    }
}
