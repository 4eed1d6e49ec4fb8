namespace EdgeLlm.Api.Tests.Observability;

/// <summary>
/// Reads the alerting rules of a Prometheus rules file written as <c>observability/edgellm-alerts.yml</c> is: each rule
/// a <c>- alert:</c> item whose <c>expr</c>, <c>for</c>, <c>labels</c> and <c>annotations</c> are plain or block
/// scalars (<c>|</c>, <c>&gt;-</c>). Not a general YAML parser: <c>promtool check rules</c> counts the same rules, and a
/// test holds the two counts equal.
/// </summary>
internal static class AlertRuleFile
{
    public sealed record Rule(string Alert, string Expression, string? For, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

    public static IReadOnlyList<Rule> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var rules = new List<Rule>();
        for (var i = 0; i < lines.Length; i++)
        {
            var item = lines[i].TrimStart();
            if (!item.StartsWith("- alert:", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = lines[i].Length - item.Length + 2;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["alert"] = item["- alert:".Length..].Trim() };
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            var end = i + 1;
            while (end < lines.Length && (lines[end].Trim().Length == 0 || Indent(lines[end]) >= indent))
            {
                end++;
            }

            for (var j = i + 1; j < end; j++)
            {
                if (lines[j].Trim().Length == 0 || Indent(lines[j]) != indent)
                {
                    continue;
                }

                var (key, value) = Split(lines[j]);
                var target = key switch { "labels" => labels, "annotations" => annotations, _ => null };
                if (target is null)
                {
                    fields[key] = Scalar(lines, ref j, end, value, indent);
                    continue;
                }

                for (j++; j < end && (lines[j].Trim().Length == 0 || Indent(lines[j]) > indent); j++)
                {
                    if (lines[j].Trim().Length > 0 && Indent(lines[j]) == indent + 2)
                    {
                        var (name, text) = Split(lines[j]);
                        target[name] = Scalar(lines, ref j, end, text, indent + 2);
                    }
                }

                j--;
            }

            rules.Add(new Rule(fields["alert"], fields.GetValueOrDefault("expr", ""), fields.GetValueOrDefault("for"), labels, annotations));
            i = end - 1;
        }

        return rules;
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static (string Key, string Value) Split(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    /// <summary>A plain or quoted value on the key's line, or the block scalar below it (<c>|</c> keeps lines, <c>&gt;-</c> folds them).</summary>
    private static string Scalar(string[] lines, ref int at, int end, string value, int keyIndent)
    {
        if (value is not ("|" or ">-" or ">" or "|-"))
        {
            return value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;
        }

        var block = new List<string>();
        while (at + 1 < end && (lines[at + 1].Trim().Length == 0 || Indent(lines[at + 1]) > keyIndent))
        {
            block.Add(lines[++at].Trim());
        }

        return string.Join(value.StartsWith('|') ? "\n" : " ", block).Trim();
    }
}
