using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// What tools change in a chat request: the conversation rendered the model family's way (tool definitions, past
/// calls and results as text its template can format), and, unless tool_choice is none, the grammar of a call:
/// from the first token when a call is required or named, else armed by the family's trigger (auto), so free text
/// stays free until the model starts a call.
/// </summary>
internal static class ToolCallPlan
{
    public static (IReadOnlyList<ChatMessage> Messages, OutputConstraint? Constraint, ToolCallAnswer? Answer, ApiError? Error) Create(
        IToolCallDialect dialect, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, ToolChoice choice, bool parallel)
    {
        if (tools.Count == 0 && !messages.Any(m => m.Role == "tool" || m.ToolCalls is not null))
        {
            return (messages, null, null, null);
        }

        var rendered = dialect.Render(messages, tools, choice);
        if (choice.Mode == ToolChoiceMode.None || tools.Count == 0)
        {
            return (rendered, null, null, null);
        }

        var required = choice.Mode is ToolChoiceMode.Required or ToolChoiceMode.Named;
        var compiled = dialect.CallGrammar(tools, parallel, includeTrigger: required, choice.Name);
        if (compiled.Rejection is { } rejection)
        {
            var error = new ApiError(400, ErrorCodes.InvalidParameter, $"A tool's parameters cannot be honoured at {rejection.Path} ({rejection.Keyword}): {rejection.Message}", rejection.Path);
            return (rendered, null, null, error);
        }

        return (rendered, new OutputConstraint(compiled.Grammar!, required ? null : dialect.Trigger), new ToolCallAnswer(dialect, callsOnly: required), null);
    }
}
