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
/// <c>POST /api/chat</c>: the messages through the guardrails, the router and the model's chat template, then the same
/// generation path as <c>/v1/chat/completions</c>, answered in Ollama's shape (streamed unless <c>stream: false</c>).
/// No messages: the model is only loaded (Ollama's preload call).
/// </summary>
internal static class OllamaChatEndpoint
{
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>> HandleAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, GrammarCache grammars, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger)
    {
        var timings = new OllamaTimings(time);
        var (body, error) = await JsonBody.ReadAsync(http.Request, OllamaJsonContext.Default.OllamaChatRequest, anyContentType: true);
        if (error is not null)
        {
            return error;
        }

        var (name, nameError) = OllamaModelNames.Resolve(body!.Model, registry, router);
        var (fields, optionsError) = OllamaOptionsField.Read(body.Options);
        var (constraint, responseFormat, formatError) = OllamaFormatField.Read(body.Format, grammars);
        var (keepAlive, keepAliveError) = OllamaKeepAlive.Read(body.KeepAlive);
        var (messages, messageError) = ReadMessages(body);
        if ((nameError ?? messageError ?? optionsError ?? formatError ?? keepAliveError ?? OllamaUnsupported.Thinking(body.Think)) is { } invalid)
        {
            return invalid;
        }

        if (messages!.Count == 0)
        {
            var (loaded, notLoaded) = await OllamaPreload.LoadAsync(http, registry, residency, router, name!, keepAlive, inference.Value, timings);
            return notLoaded ?? (Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>)OllamaJson.Write(
                new OllamaChatChunk(body.Model!, timings.CreatedAt(), new OllamaMessageOut("assistant", ""), true, loaded, timings.TotalNanoseconds, timings.LoadNanoseconds), OllamaJsonContext.Default.OllamaChatChunk);
        }

        // Within the load policy: an on-demand model stays as long as this request asks, never beyond its configured keep-alive.
        residency.RequestKeepAlive(name!, keepAlive);

        var guard = InputGuardrails.Begin(guardrails, http);
        (messages, var blocked) = await InputGuardrails.ScreenAsync(guard, messages!, http.RequestAborted);
        if (blocked is not null)
        {
            return blocked;
        }

        var lastUser = messages!.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        var routing = await RoutingRequests.PrepareAsync(http, registry, router, name, lastUser, responseFormat, tools: false, retrieval: false);
        var (routed, modelError) = RoutedModels.Resolve(registry, router, name, () => routing!);
        if ((modelError ?? ServedRoles.ForGeneration(routed!, registry)) is { } refused)
        {
            return refused;
        }

        var answer = await FallbackSubmission.SubmitAsync(http, routed!, registry, residency, router, inference.Value, user: null, model =>
        {
            timings.ModelReady();
            var prompt = model.Chat.Format(messages!);
            ApiLog.PromptText(logger, prompt);
            var (request, requestError) = GenerationRequestFactory.Create(fields!, fields!.MaxTokens, model, prompt, parseSpecial: true, inference.Value.DefaultMaxTokens, constraint);
            return requestError is not null
                ? (null, OllamaOptionsField.InOptions(requestError))
                : (new GenerationAttempt(request!, new OllamaChatFormat(body.Model!, timings), body.Stream ?? true, IncludeUsage: false) { Guard = new GuardedAnswer(guard, InputGuardrails.Turns(messages!)) }, null);
        });
        return answer.Result switch
        {
            GenerationResult whole => whole,
            GenerationStreamResult streamed => streamed,
            _ => (ApiError)answer.Result,
        };
    }

    /// <summary>The conversation as the chat template takes it: system, user and assistant turns of text only.</summary>
    private static (IReadOnlyList<ChatMessage>? Messages, ApiError? Error) ReadMessages(OllamaChatRequest body)
    {
        if (body.Tools is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0)
        {
            return (null, OllamaUnsupported.Field("tools", "tools are not served on /api/chat; use /v1/chat/completions for tool calling."));
        }

        var messages = new List<ChatMessage>();
        for (var i = 0; i < (body.Messages?.Count ?? 0); i++)
        {
            var message = body.Messages![i];
            var field = $"messages[{i}]";
            if (message?.Role is not ("system" or "user" or "assistant"))
            {
                return (null, new ApiError(400, ErrorCodes.InvalidParameter, $"{field}.role must be system, user or assistant (tool turns are served on /v1/chat/completions).", field + ".role"));
            }

            if (message.Images is { Count: > 0 })
            {
                return (null, OllamaUnsupported.Field(field + ".images", "No model on this appliance reads images."));
            }

            if (message.ToolCalls is { ValueKind: JsonValueKind.Array } calls && calls.GetArrayLength() > 0)
            {
                return (null, OllamaUnsupported.Field(field + ".tool_calls", "tool calls are served on /v1/chat/completions."));
            }

            messages.Add(new ChatMessage(message.Role, message.Content ?? ""));
        }

        return (messages, null);
    }
}
