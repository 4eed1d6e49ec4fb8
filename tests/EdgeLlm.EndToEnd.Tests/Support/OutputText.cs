namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>Reads what a daemon printed.</summary>
internal static class OutputText
{
    /// <summary>How many times <paramref name="what"/> occurs in <paramref name="text"/>.</summary>
    public static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
