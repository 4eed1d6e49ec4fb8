using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// The request's side of the guardrails: every message (or the prompt) through the deny rules and detectors before
/// anything reaches a model, a router's classifier or a log; then the guard model's verdict on the screened text.
/// </summary>
internal static class InputGuardrails
{
    /// <summary>The guardrails of the request <paramref name="http"/> carries, for its key's tenant; <paramref name="user"/> is the body's <c>user</c> field, which a policy canary may split by.</summary>
    public static GuardrailSession Begin(GuardrailEnforcer enforcer, HttpContext http, string? user = null) =>
        enforcer.Begin(http.User.GetTenant(), http.User.GetApiKeyId(), user);

    /// <summary>The messages as the model may see them, or 400 <c>content_blocked</c> naming the rule.</summary>
    public static async Task<(IReadOnlyList<ChatMessage>? Messages, ApiError? Error)> ScreenAsync(
        GuardrailSession session, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var screened = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            var outcome = session.Screen(message.Content, GuardrailDirection.Input);
            if (outcome.BlockedBy is { } rule)
            {
                return (null, ApiError.ContentBlocked(rule, "this request"));
            }

            var (calls, blockedBy) = ScreenToolCalls(session, message.ToolCalls);
            if (blockedBy is not null)
            {
                return (null, ApiError.ContentBlocked(blockedBy, "this request"));
            }

            screened.Add(message with { Content = outcome.Text, ToolCalls = calls });
        }

        var judged = await session.JudgeAsync(GuardrailDirection.Input, Turns(screened), cancellationToken);
        return judged is null ? (screened, null) : (null, ApiError.ContentBlocked(judged, "this request"));
    }

    /// <summary>The prompt as the model may see it, or 400 <c>content_blocked</c> naming the rule.</summary>
    public static async Task<(string? Prompt, ApiError? Error)> ScreenAsync(GuardrailSession session, string prompt, CancellationToken cancellationToken)
    {
        var outcome = session.Screen(prompt, GuardrailDirection.Input);
        if (outcome.BlockedBy is { } rule)
        {
            return (null, ApiError.ContentBlocked(rule, "this request"));
        }

        var judged = await session.JudgeAsync(GuardrailDirection.Input, [new GuardTurn("user", outcome.Text)], cancellationToken);
        return judged is null ? (outcome.Text, null) : (null, ApiError.ContentBlocked(judged, "this request"));
    }

    /// <summary>
    /// The arguments of the tool calls an assistant turn made: the caller sends them back and the model reads them, so
    /// they get the input rules like any message. A redaction keeps the JSON valid: no detector's match holds a quote.
    /// </summary>
    private static (IReadOnlyList<ToolCall>? Calls, string? BlockedBy) ScreenToolCalls(GuardrailSession session, IReadOnlyList<ToolCall>? calls)
    {
        if (calls is not { Count: > 0 })
        {
            return (calls, null);
        }

        var screened = new List<ToolCall>(calls.Count);
        foreach (var call in calls)
        {
            var outcome = session.Screen(call.ArgumentsJson, GuardrailDirection.Input);
            if (outcome.BlockedBy is { } rule)
            {
                return (null, rule);
            }

            screened.Add(call with { ArgumentsJson = outcome.Text });
        }

        return (screened, null);
    }

    /// <summary>The conversation as the guard model is shown it: a system turn counts as the user's.</summary>
    public static IReadOnlyList<GuardTurn> Turns(IReadOnlyList<ChatMessage> messages) =>
        messages.Where(m => m.Content.Length > 0).Select(m => new GuardTurn(m.Role == "assistant" ? "assistant" : "user", m.Content)).ToList();
}
