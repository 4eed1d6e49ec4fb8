namespace EdgeLlm.Guardrails.Detection;

/// <summary>What a <see cref="PiiDetectorSet"/> runs and how its detectors score.</summary>
public sealed record PiiDetectorOptions
{
    /// <summary>
    /// The built-in families to run (<see cref="PiiFamilies"/>). Default: all of them.
    /// </summary>
    public IReadOnlyList<string> Families { get; init; } = PiiFamilies.BuiltIn;

    /// <summary>The region (ISO 3166 alpha-2) for phone numbers written without '+'. Default: <c>US</c>.</summary>
    public string PhoneRegion { get; init; } = "US";

    /// <summary>How far before a match context words are looked for, in characters. Default: 40.</summary>
    public int ContextWindow { get; init; } = 40;

    /// <summary>
    /// Context words per built-in family, replacing that family's defaults (<see cref="DefaultContextWords"/>). Default: none
    /// replaced.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContextWords { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Configured patterns, each its own <c>custom:&lt;name&gt;</c> family. Default: none.</summary>
    public IReadOnlyList<CustomPattern> CustomPatterns { get; init; } = [];
}
