using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// <c>POST /api/generate</c>: the prompt (with <c>system</c> before it) put in the model's chat template, as Ollama
/// does, or sent as written with <c>raw: true</c>, where the client writes the template and its control tokens itself;
/// then the same path as <c>/v1</c>. No prompt: the model is only loaded (Ollama's preload call).
/// </summary>
internal static class OllamaGenerateEndpoint
{
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>> HandleAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, GrammarCache grammars, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger)
    {
        var timings = new OllamaTimings(time);
        var (body, error) = await JsonBody.ReadAsync(http.Request, OllamaJsonContext.Default.OllamaGenerateRequest, anyContentType: true);
        if (error is not null)
        {
            return error;
        }

        var (name, nameError) = OllamaModelNames.Resolve(body!.Model, registry, router);
        var (fields, optionsError) = OllamaOptionsField.Read(body.Options);
        var (constraint, responseFormat, formatError) = OllamaFormatField.Read(body.Format, grammars);
        var (keepAlive, keepAliveError) = OllamaKeepAlive.Read(body.KeepAlive);
        if ((nameError ?? Unsupported(body) ?? optionsError ?? formatError ?? keepAliveError ?? OllamaUnsupported.Thinking(body.Think)) is { } invalid)
        {
            return invalid;
        }

        if (string.IsNullOrEmpty(body.Prompt))
        {
            var (loaded, notLoaded) = await OllamaPreload.LoadAsync(http, registry, residency, router, name!, keepAlive, inference.Value, timings);
            return notLoaded ?? (Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>)OllamaJson.Write(
                new OllamaGenerateChunk(body.Model!, timings.CreatedAt(), "", true, loaded, timings.TotalNanoseconds, timings.LoadNanoseconds), OllamaJsonContext.Default.OllamaGenerateChunk);
        }

        // Within the load policy: an on-demand model stays as long as this request asks, never beyond its configured keep-alive.
        residency.RequestKeepAlive(name!, keepAlive);

        var raw = body.Raw == true;
        IReadOnlyList<ChatMessage>? turns = raw || string.IsNullOrEmpty(body.System)
            ? [new ChatMessage("user", body.Prompt)]
            : [new ChatMessage("system", body.System), new ChatMessage("user", body.Prompt)];
        var guard = InputGuardrails.Begin(guardrails, http);
        (turns, var blocked) = await InputGuardrails.ScreenAsync(guard, turns!, http.RequestAborted);
        if (blocked is not null)
        {
            return blocked;
        }

        var prompt = turns![^1].Content;
        var routing = await RoutingRequests.PrepareAsync(http, registry, router, name, prompt, responseFormat, tools: false, retrieval: false);
        var (routed, modelError) = RoutedModels.Resolve(registry, router, name, () => routing!);
        if ((modelError ?? ServedRoles.ForGeneration(routed!, registry)) is { } refused)
        {
            return refused;
        }

        var answer = await FallbackSubmission.SubmitAsync(http, routed!, registry, residency, router, inference.Value, user: null, model =>
        {
            timings.ModelReady();
            var text = raw ? prompt : model.Chat.Format(turns!);
            ApiLog.PromptText(logger, text);
            var (request, requestError) = GenerationRequestFactory.Create(fields!, fields!.MaxTokens, model, text, parseSpecial: true, inference.Value.DefaultMaxTokens, constraint);
            return requestError is not null
                ? (null, OllamaOptionsField.InOptions(requestError))
                : (new GenerationAttempt(request!, new OllamaGenerateFormat(body.Model!, timings), body.Stream ?? true, IncludeUsage: false) { Guard = new GuardedAnswer(guard, InputGuardrails.Turns(turns!)) }, null);
        });
        return answer.Result switch
        {
            GenerationResult whole => whole,
            GenerationStreamResult streamed => streamed,
            _ => (ApiError)answer.Result,
        };
    }

    /// <summary>Fields of Ollama's generate this appliance cannot honour: refused, never silently dropped.</summary>
    private static ApiError? Unsupported(OllamaGenerateRequest body) =>
        !string.IsNullOrEmpty(body.Suffix) ? OllamaUnsupported.Field("suffix", "suffix (fill-in-the-middle) is not supported.")
        : !string.IsNullOrEmpty(body.Template) ? OllamaUnsupported.Field("template", "template cannot be replaced: each model answers with its own chat template (or raw: true with the template written into the prompt).")
        : body.Context is { ValueKind: JsonValueKind.Array } context && context.GetArrayLength() > 0 ? OllamaUnsupported.Field("context", "context is not kept between requests here; send the conversation to /api/chat.")
        : body.Images is { Count: > 0 } ? OllamaUnsupported.Field("images", "No model on this appliance reads images.")
        : null;
}
