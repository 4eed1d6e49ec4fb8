namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>
/// The subset of .dockerignore this repository uses: <c>*</c> (everything), <c>!path</c> (let a file or folder
/// back in), <c>**/name/</c> (that folder name anywhere). Later lines win, as for the builder.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(bool Include, string Pattern)> _rules;

    private DockerIgnore(List<(bool Include, string Pattern)> rules) => _rules = rules;

    /// <summary>The paths let back in by <c>!</c> lines: what a build context copy starts from.</summary>
    public IEnumerable<string> IncludedRoots => _rules.Where(r => r.Include).Select(r => r.Pattern);

    public static DockerIgnore Parse(string text) => new(
        [.. text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith('!') ? (true, Normalize(line[1..])) : (false, Normalize(line)))]);

    /// <summary>Whether <paramref name="path"/> (relative to the context root) is in the build context.</summary>
    public bool Includes(string path)
    {
        var normalized = Normalize(path);
        var included = true;
        foreach (var (include, pattern) in _rules)
        {
            if (Matches(pattern, normalized))
            {
                included = include;
            }
        }

        return included;
    }

    private static bool Matches(string pattern, string path)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith("**/", StringComparison.Ordinal))
        {
            return $"/{path}/".Contains($"/{pattern[3..]}/", StringComparison.Ordinal);
        }

        return path == pattern || path.StartsWith(pattern + "/", StringComparison.Ordinal);
    }

    private static string Normalize(string path)
    {
        var trimmed = path.Trim();
        trimmed = trimmed.StartsWith("./", StringComparison.Ordinal) ? trimmed[2..] : trimmed;
        return trimmed.TrimStart('/').TrimEnd('/');
    }
}
