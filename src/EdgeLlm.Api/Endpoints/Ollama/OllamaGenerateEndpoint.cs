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
    public static Task<Results<GenerationResult, GenerationStreamResult, ApiError, ContentHttpResult>> HandleAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, GrammarCache grammars, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger) =>
        new OllamaTurnsSubmission(http, registry, residency, router, grammars, guardrails, inference.Value, time, logger)
            .SubmitAsync(OllamaJsonContext.Default.OllamaGenerateRequest, Read, (model, timings) => new OllamaGenerateFormat(model, timings));

    private static OllamaTurnsRequest Read(OllamaGenerateRequest body)
    {
        var raw = body.Raw == true;
        return new OllamaTurnsRequest(body.Model, body.Options, body.Format, body.KeepAlive, body.Think, body.Stream, Turns(body, raw), Unsupported(body), raw);
    }

    /// <summary>
    /// The prompt as the user's turn, after <c>system</c> unless raw (a raw prompt carries its own template); none
    /// without a prompt, which makes the call Ollama's preload.
    /// </summary>
    private static IReadOnlyList<ChatMessage> Turns(OllamaGenerateRequest body, bool raw) =>
        string.IsNullOrEmpty(body.Prompt) ? []
        : raw || string.IsNullOrEmpty(body.System) ? [new ChatMessage("user", body.Prompt)]
        : [new ChatMessage("system", body.System), new ChatMessage("user", body.Prompt)];

    /// <summary>Fields of Ollama's generate this appliance cannot honour: refused, never silently dropped.</summary>
    private static ApiError? Unsupported(OllamaGenerateRequest body) =>
        !string.IsNullOrEmpty(body.Suffix) ? OllamaUnsupported.Field("suffix", "suffix (fill-in-the-middle) is not supported.")
        : !string.IsNullOrEmpty(body.Template) ? OllamaUnsupported.Field("template", "template cannot be replaced: each model answers with its own chat template (or raw: true with the template written into the prompt).")
        : body.Context is { ValueKind: JsonValueKind.Array } context && context.GetArrayLength() > 0 ? OllamaUnsupported.Field("context", "context is not kept between requests here; send the conversation to /api/chat.")
        : body.Images is { Count: > 0 } ? OllamaUnsupported.Field("images", "No model on this appliance reads images.")
        : null;
}
