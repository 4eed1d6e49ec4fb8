using System.Text.Json.Serialization.Metadata;
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

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// What <c>/api/chat</c> and <c>/api/generate</c> share once an endpoint has read its body into turns: the common
/// fields checked, Ollama's preload call, <c>keep_alive</c> through the load policy, the guardrails, the router, then
/// the same submission (with fallback) as <c>/v1</c>, answered in the endpoint's own shape.
/// </summary>
internal sealed class OllamaTurnsSubmission(
    HttpContext http,
    ModelRegistry registry,
    ModelResidency residency,
    RouteResolver router,
    GrammarCache grammars,
    GuardrailEnforcer guardrails,
    InferenceOptions inference,
    TimeProvider time,
    ILogger<ApiLogCategory> logger)
{
    /// <param name="bodyType">The endpoint's body contract.</param>
    /// <param name="read">The endpoint's own fields made into turns, or refused.</param>
    /// <param name="answerFormat">The endpoint's answer shape for the model as the client named it.</param>
    public async Task<Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>> SubmitAsync<TBody>(
        JsonTypeInfo<TBody> bodyType, Func<TBody, OllamaTurnsRequest> read, Func<string, OllamaTimings, OllamaAnswerFormat> answerFormat)
        where TBody : class
    {
        // The clock starts before the body is read: Ollama's total and load durations count from the request's arrival.
        var timings = new OllamaTimings(time);
        var (body, error) = await JsonBody.ReadAsync(http.Request, bodyType, anyContentType: true);
        if (error is not null)
        {
            return error;
        }

        var request = read(body!);
        var (name, nameError) = OllamaModelNames.Resolve(request.Model, registry, router);
        var (fields, optionsError) = OllamaOptionsField.Read(request.Options);
        var (constraint, responseFormat, formatError) = OllamaFormatField.Read(request.Format, grammars);
        var (keepAlive, keepAliveError) = OllamaKeepAlive.Read(request.KeepAlive);
        if ((nameError ?? request.TurnsError ?? optionsError ?? formatError ?? keepAliveError ?? OllamaUnsupported.Thinking(request.Think)) is { } invalid)
        {
            return invalid;
        }

        // Every answer names the model as the client wrote it (name or name:latest), as Ollama does.
        var format = answerFormat(request.Model!, timings);
        if (request.Turns!.Count == 0)
        {
            var (loaded, notLoaded) = await OllamaPreload.LoadAsync(http, registry, residency, router, name!, keepAlive, inference, timings);
            return notLoaded ?? (Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>)format.Preloaded(loaded!);
        }

        // Within the load policy: an on-demand model stays as long as this request asks, never beyond its configured keep-alive.
        residency.RequestKeepAlive(name!, keepAlive);

        var guard = InputGuardrails.Begin(guardrails, http);
        var (turns, blocked) = await InputGuardrails.ScreenAsync(guard, request.Turns, http.RequestAborted);
        if (blocked is not null)
        {
            return blocked;
        }

        var lastUser = turns!.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        var routing = await RoutingRequests.PrepareAsync(http, registry, router, name, lastUser, responseFormat, tools: false, retrieval: false);
        var (routed, modelError) = RoutedModels.Resolve(registry, router, name, () => routing!);
        if ((modelError ?? ServedRoles.ForGeneration(routed!, registry)) is { } refused)
        {
            return refused;
        }

        var answer = await FallbackSubmission.SubmitAsync(http, routed!, registry, residency, router, inference, user: null, model =>
        {
            timings.ModelReady();

            // Raw: the client wrote the template into its one turn, so it goes as sent; else the model's own template.
            var prompt = request.Raw ? turns![^1].Content : model.Chat.Format(turns!);
            ApiLog.PromptText(logger, prompt);
            var (generation, generationError) = GenerationRequestFactory.Create(fields!, fields!.MaxTokens, model, prompt, parseSpecial: true, inference.DefaultMaxTokens, constraint);
            return generationError is not null
                ? (null, OllamaOptionsField.InOptions(generationError))
                : (new GenerationAttempt(generation!, format, request.Stream ?? true, IncludeUsage: false) { Guard = new GuardedAnswer(guard, InputGuardrails.Turns(turns!)) }, null);
        });
        return answer.Result switch
        {
            GenerationResult whole => whole,
            GenerationStreamResult streamed => streamed,
            _ => (ApiError)answer.Result,
        };
    }
}
