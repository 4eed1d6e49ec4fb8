namespace EdgeLlm.Api.Guarding;

/// <summary>
/// A guard model's prompt in three parts, tokenized apart: the Llama 3 header and footer with their control tokens
/// parsed, and between them the task, the categories and the conversation as plain text, so a conversation that
/// writes <c>&lt;|eot_id|&gt;</c> cannot end the guard's turn and answer for it.
/// </summary>
/// <param name="Header">Opens the user turn (control tokens).</param>
/// <param name="Body">The task, the categories, the conversation and the instructions (never parsed for control tokens).</param>
/// <param name="Footer">Ends the user turn and opens the assistant's, where the verdict goes (control tokens).</param>
internal sealed record GuardPrompt(string Header, string Body, string Footer)
{
    /// <summary>The whole prompt as one text.</summary>
    public string Text => Header + Body + Footer;
}
