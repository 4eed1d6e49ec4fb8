using System.Text;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Api.Guarding;

/// <summary>
/// Writes the prompt Llama Guard 3 was trained on (Meta's model card and llama-recipes' <c>PROMPT_TEMPLATE_3</c>),
/// not the guard model's own chat template: the task names the side being judged (<c>User</c> for input,
/// <c>Agent</c> for output), then the categories, the conversation turn by turn and the answer format.
/// </summary>
internal static class GuardPromptBuilder
{
    private const string Header = "<|start_header_id|>user<|end_header_id|>\n\n";
    private const string Footer = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

    /// <param name="direction">Input and retrieved context are judged as the user's message, output as the agent's.</param>
    /// <param name="conversation">The turns shown, oldest first; the last is the one judged.</param>
    /// <param name="categories">The categories listed, in order (see <see cref="GuardCategories.Line"/>).</param>
    public static GuardPrompt Build(GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, IReadOnlyList<string> categories)
    {
        var side = direction == GuardrailDirection.Output ? "Agent" : "User";
        var body = new StringBuilder()
            .Append("Task: Check if there is unsafe content in '").Append(side)
            .Append("' messages in conversations according our safety policy with the below categories.\n\n")
            .Append("<BEGIN UNSAFE CONTENT CATEGORIES>\n");
        foreach (var category in categories)
        {
            body.Append(GuardCategories.Line(category)).Append('\n');
        }

        body.Append("<END UNSAFE CONTENT CATEGORIES>\n\n<BEGIN CONVERSATION>\n\n");
        foreach (var turn in conversation)
        {
            body.Append(Speaker(turn.Role)).Append(": ").Append(turn.Content).Append("\n\n");
        }

        body.Append("<END CONVERSATION>\n\n")
            .Append("Provide your safety assessment for ONLY THE LAST ").Append(side).Append(" message in the above conversation:\n")
            .Append(" - First line must read 'safe' or 'unsafe'.\n")
            .Append(" - If unsafe, a second line must include a comma-separated list of violated categories.");
        return new GuardPrompt(Header, body.ToString(), Footer);
    }

    /// <summary>The assistant's turns are the agent's; a system turn is shown as the user's, as the seam says.</summary>
    private static string Speaker(string role) => string.Equals(role, "assistant", StringComparison.OrdinalIgnoreCase) ? "Agent" : "User";
}
