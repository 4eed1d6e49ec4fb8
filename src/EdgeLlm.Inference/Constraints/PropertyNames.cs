using System.Text;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// A JSON string key that is none of a set of names: a trie of the names, one rule per trie node, where the key
/// may end only off a name and may leave the trie at any character. Keys are written without escapes, so no
/// escaped spelling can alias a name.
/// </summary>
internal static class PropertyNames
{
    private const string RawChar = "[^\"\\\\\\x00-\\x1F]";

    public static string Other(GbnfRules rules, IEnumerable<string> names, string hint)
    {
        var root = new Node();
        foreach (var name in names)
        {
            var node = root;
            foreach (var rune in name.EnumerateRunes())
            {
                node = node.Children.TryGetValue(rune.Value, out var child) ? child : node.Children[rune.Value] = new Node();
            }

            node.IsName = true;
        }

        var free = rules.Shared("free-key", () => $"{RawChar}* \"\\\"\"");
        return "\"\\\"\" " + Rule(root, rules, free, hint + "-key");
    }

    private static string Rule(Node node, GbnfRules rules, string free, string hint)
    {
        var alternatives = new List<string>();
        if (!node.IsName)
        {
            alternatives.Add("\"\\\"\"");
        }

        var excluded = new List<(int Low, int High)> { (0x00, 0x1F), ('"', '"'), ('\\', '\\') };
        // A name character JSON only allows escaped cannot occur in a raw key: that branch of the trie is unreachable.
        foreach (var (rune, child) in node.Children.Where(c => c.Key is >= 0x20 and not '"' and not '\\').OrderBy(c => c.Key))
        {
            excluded.Add((rune, rune));
            alternatives.Add(GbnfText.Literal(new Rune(rune).ToString()) + " " + Rule(child, rules, free, hint));
        }

        alternatives.Add(GbnfText.CharClass(Merge(excluded), negated: true) + " " + free);
        return rules.Add(hint, string.Join(" | ", alternatives));
    }

    private static List<(int Low, int High)> Merge(List<(int Low, int High)> ranges)
    {
        var set = new CodePointSet();
        foreach (var (low, high) in ranges)
        {
            set.Add(low, high);
        }

        return [.. set.Ranges];
    }

    private sealed class Node
    {
        public Dictionary<int, Node> Children { get; } = [];

        public bool IsName { get; set; }
    }
}
