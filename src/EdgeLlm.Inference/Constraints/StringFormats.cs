namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// The <c>format</c> values the grammar enforces, each as a subset its validators all accept: years 1000–9999
/// (29 February only in leap years), times without leap seconds, offsets within ±14:00, up to six fractional
/// digits of a second, capital <c>T</c> and <c>Z</c>, lower-case UUIDs. Other formats are refused.
/// </summary>
internal static class StringFormats
{
    public static readonly IReadOnlyList<string> Supported = ["date", "date-time", "uuid"];

    /// <summary>The GBNF of the string's characters (inside the quotes), or null for an unsupported format.</summary>
    public static string? Body(string format, GbnfRules rules) => format switch
    {
        "date" => Date(rules),
        "date-time" => rules.Shared("date-time", () =>
            $"{Date(rules)} \"T\" ([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" [0-5] [0-9] (\".\" [0-9]{{1,6}})? "
            + "(\"Z\" | (\"+\" | \"-\") (\"0\" [0-9] | \"1\" [0-3]) \":\" [0-5] [0-9] | (\"+\" | \"-\") \"14:00\")"),
        "uuid" => rules.Shared("uuid", () => "[0-9a-f]{8} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{12}"),
        _ => null,
    };

    private static string Date(GbnfRules rules) => rules.Shared("date", () =>
        "[1-9] [0-9]{3} \"-\" ("
        + "(\"01\" | \"03\" | \"05\" | \"07\" | \"08\" | \"10\" | \"12\") \"-\" (\"0\" [1-9] | [12] [0-9] | \"3\" [01])"
        + " | (\"04\" | \"06\" | \"09\" | \"11\") \"-\" (\"0\" [1-9] | [12] [0-9] | \"30\")"
        + " | \"02-\" (\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8]))"
        // 29 February: years divisible by 4 but not by 100, or by 400.
        + " | ([1-9] [0-9] (\"0\" [48] | [2468] [048] | [13579] [26]) | ([2468] [048] | [13579] [26]) \"00\") \"-02-29\"");
}
