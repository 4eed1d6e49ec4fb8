namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// The text around calls in one family: each call is <c>CallOpen {"name": "f", "ArgumentsKey": {...}} CallClose</c>,
/// calls are joined by <c>Separator</c> and the whole list sits between <c>ListOpen</c> and <c>ListClose</c>.
/// The same layout writes past calls into the prompt and builds the call grammar, so the model is shown exactly
/// the text it is later held to.
/// </summary>
internal sealed record ToolCallLayout(
    string ListOpen,
    string CallOpen,
    string ArgumentsKey,
    string CallClose,
    string Separator,
    string ListClose)
{
    public const string NameOpen = "{\"name\": ";

    /// <summary>The fixed text every answer with calls starts with, up to the first function's name.</summary>
    public string Head => ListOpen + CallOpen + NameOpen;

    public string NameAndArguments(string name) => $"{ToolJson.String(name)}, \"{ArgumentsKey}\": ";

    public string Write(IEnumerable<ToolCall> calls) =>
        ListOpen
        + string.Join(Separator, calls.Select(c => CallOpen + NameOpen + NameAndArguments(c.Name) + ToolJson.Arguments(c.ArgumentsJson) + "}" + CallClose))
        + ListClose;
}
