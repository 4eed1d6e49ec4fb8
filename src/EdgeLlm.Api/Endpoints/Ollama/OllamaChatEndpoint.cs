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
    public static Task<Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>> HandleAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, GrammarCache grammars, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger) =>
        new OllamaTurnsSubmission(http, registry, residency, router, grammars, guardrails, inference.Value, time, logger)
            .SubmitAsync(OllamaJsonContext.Default.OllamaChatRequest, Read, (model, timings) => new OllamaChatFormat(model, timings));

    private static OllamaTurnsRequest Read(OllamaChatRequest body)
    {
        var (messages, refused) = ReadMessages(body);
        return new OllamaTurnsRequest(body.Model, body.Options, body.Format, body.KeepAlive, body.Think, body.Stream, messages, refused, Raw: false);
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
