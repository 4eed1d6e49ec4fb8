namespace EdgeLlm.Routing.Classification;

/// <summary>
/// Labelled example prompts of a classifier rule (<c>Routing:Routes:N:Rules:N:Examples:N</c>): prompts that should go
/// to one target.
/// </summary>
public sealed class RouteExampleOptions
{
    /// <summary>Most prompts one target may have.</summary>
    public const int MaxPrompts = 64;

    /// <summary>Longest a prompt may be, in characters; also how much of a request's text is embedded.</summary>
    public const int MaxPromptCharacters = 1000;

    /// <summary>The model (name or alias) that serves requests nearest to these prompts.</summary>
    public string Target { get; set; } = "";

    /// <summary>Example prompts for this target: 1 to 64, each 1 to 1000 characters.</summary>
    public List<string> Prompts { get; set; } = [];

    internal IEnumerable<string> Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Target))
        {
            yield return $"{key}:Target is required.";
        }

        if (Prompts.Count is 0 or > MaxPrompts)
        {
            yield return $"{key}:Prompts needs 1 to {MaxPrompts} example prompts.";
        }

        if (Prompts.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > MaxPromptCharacters))
        {
            yield return $"{key}:Prompts: every prompt must hold 1 to {MaxPromptCharacters} characters.";
        }
    }
}
