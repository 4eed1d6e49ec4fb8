namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>The console's Content-Security-Policy as the contract sets it, and what a header must hold to meet it.</summary>
internal static class ContentSecurityPolicy
{
    /// <summary>Each directive the contract names, with its exact sources.</summary>
    public static readonly IReadOnlyDictionary<string, string> Required = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["default-src"] = "'none'",
        ["script-src"] = "'self'",
        ["style-src"] = "'self'",
        ["img-src"] = "'self' data:",
        ["connect-src"] = "'self'",
        ["form-action"] = "'self'",
        ["frame-ancestors"] = "'none'",
        ["base-uri"] = "'none'",
    };

    /// <summary>How <paramref name="header"/> falls short of the contract; empty when it meets it.</summary>
    public static IEnumerable<string> Shortfalls(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            yield return "no Content-Security-Policy header";
            yield break;
        }

        var directives = header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(d => d[0].ToLowerInvariant(), d => d.Length > 1 ? string.Join(' ', d[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)) : "");
        foreach (var (name, sources) in Required)
        {
            if (!directives.TryGetValue(name, out var found) || found != sources)
            {
                yield return $"{name} is '{found ?? "(absent)"}', not '{sources}'";
            }
        }

        if (header.Contains("'unsafe-", StringComparison.OrdinalIgnoreCase) || header.Contains('*', StringComparison.Ordinal))
        {
            yield return $"the policy relaxes itself: {header}";
        }
    }
}
