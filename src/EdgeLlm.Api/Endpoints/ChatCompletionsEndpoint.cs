using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Endpoints.Retrieval;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Chat.Tools;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: optional retrieval grounding, tools rendered the model family's way, the
/// model's chat template, then generation (constrained by response_format or a tool call's grammar).
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError>> HandleAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, ChatGrounding grounding, GrammarCache grammars, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, ApiJsonContext.Default.ChatCompletionRequest);
        if (error is not null)
        {
            return error;
        }

        var (tools, toolsError) = ToolFields.ReadTools(body!.Tools);
        var (choice, choiceError) = tools is null ? (null, null) : ToolFields.ReadChoice(body.ToolChoice, tools);
        var (messages, messageError) = PromptFields.ReadMessages(body.Messages);
        var (topLogprobs, logprobsError) = LogprobsFields.ReadChat(body.Logprobs, body.TopLogprobs);
        var (constraint, formatError) = ResponseFormatField.Read(body.ResponseFormat, grammars);
        if ((toolsError ?? choiceError ?? formatError ?? logprobsError ?? messageError) is { } invalid)
        {
            return invalid;
        }

        if (constraint is not null && choice!.Mode != ToolChoiceMode.None)
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "response_format json_object/json_schema cannot be combined with tools unless tool_choice is none.", "response_format");
        }

        // Screened before anything else sees the text: the router's classifier is a model too.
        var guard = InputGuardrails.Begin(guardrails, http, body.User);
        (messages, var blocked) = await InputGuardrails.ScreenAsync(guard, messages!, http.RequestAborted);
        if (blocked is not null)
        {
            return blocked;
        }

        // The route decides on what the client sent: its last user message, before retrieval adds passages.
        var lastUser = messages!.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        var routing = await RoutingRequests.PrepareAsync(http, registry, router, body.Model, lastUser, body.ResponseFormat, tools is { Count: > 0 }, body.Retrieval is not null);
        var (routed, modelError) = RoutedModels.Resolve(registry, router, body.Model, () => routing!);
        if ((modelError ?? ServedRoles.ForGeneration(routed!, registry)) is { } refused)
        {
            return refused;
        }

        IReadOnlyList<CitationDto>? citations = null;
        if (body.Retrieval is not null)
        {
            (messages, citations, var groundingError) = await grounding.ApplyAsync(http, body.Retrieval, messages!, guard);
            if (groundingError is not null)
            {
                return groundingError;
            }
        }

        return await FallbackSubmission.SubmitAsync(http, routed!, registry, residency, router, inference.Value, body.User, model =>
        {
            var (rendered, toolConstraint, answer, toolError) = ToolCallPlan.Create(model.ToolCalls, messages!, tools!, choice!, body.ParallelToolCalls ?? true);
            if (toolError is not null)
            {
                return (null, toolError);
            }

            var prompt = model.Chat.Format(rendered);
            ApiLog.PromptText(logger, prompt);
            var (request, requestError) = GenerationRequestFactory.Create(
                body, body.MaxCompletionTokens ?? body.MaxTokens, model, prompt, parseSpecial: true, inference.Value.DefaultMaxTokens, constraint ?? toolConstraint, topLogprobs);
            if (requestError is not null)
            {
                return (null, requestError);
            }

            var format = new ChatCompletionFormat(model.Name, time.GetUtcNow().ToUnixTimeSeconds(), citations, answer);
            return (new GenerationAttempt(request!, format, body.Stream, body.StreamOptions?.IncludeUsage == true) { Guard = new GuardedAnswer(guard, InputGuardrails.Turns(messages!)) }, null);
        });
    }
}
