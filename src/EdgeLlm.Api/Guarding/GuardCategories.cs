namespace EdgeLlm.Api.Guarding;

/// <summary>
/// The hazard categories Llama Guard 3 was trained on (the MLCommons taxonomy, plus S14 for the 8B model), by the code
/// the model answers with. A policy that names these codes gets their titles in the prompt, worded as in the prompt
/// Meta documents for the model (the card's table words S3, S4 and S11 longer); a policy that names no category gets
/// all fourteen.
/// </summary>
internal static class GuardCategories
{
    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["S1"] = "Violent Crimes",
        ["S2"] = "Non-Violent Crimes",
        ["S3"] = "Sex Crimes",
        ["S4"] = "Child Exploitation",
        ["S5"] = "Defamation",
        ["S6"] = "Specialized Advice",
        ["S7"] = "Privacy",
        ["S8"] = "Intellectual Property",
        ["S9"] = "Indiscriminate Weapons",
        ["S10"] = "Hate",
        ["S11"] = "Self-Harm",
        ["S12"] = "Sexual Content",
        ["S13"] = "Elections",
        ["S14"] = "Code Interpreter Abuse",
    };

    /// <summary>S1 to S14, in order.</summary>
    public static IReadOnlyList<string> LlamaGuard3 { get; } = [.. Titles.Keys];

    /// <summary>The categories a verdict may name: the policy's, or <see cref="LlamaGuard3"/> when it names none.</summary>
    public static IReadOnlyList<string> Effective(IReadOnlyList<string> configured) => configured.Count > 0 ? configured : LlamaGuard3;

    /// <summary>The category's line in the prompt: <c>S1: Violent Crimes.</c> for a known code, the name alone for any other.</summary>
    public static string Line(string category) =>
        Titles.TryGetValue(category, out var title) ? $"{category}: {title}." : category + ".";
}
