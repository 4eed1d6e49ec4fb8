using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// <c>$ref</c> targets (<c>#</c>, <c>#/$defs/name</c>, <c>#/definitions/name</c>), one rule per target, and the guard
/// against left recursion: llama.cpp refuses a grammar whose rule can reach itself before consuming a character,
/// so a reference cycle that opens no object or array on the way is refused here with keyword <c>$ref</c>.
/// </summary>
internal sealed class SchemaReferences(JsonElement root)
{
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);

    /// <summary>References entered since the last consumed token (the head of the current rule).</summary>
    private HashSet<string> _head = new(StringComparer.Ordinal);

    public void EnterRoot(string ruleName)
    {
        _targets["#"] = new Target(ruleName);
        _head.Add("#");
    }

    public HashSet<string> Consume()
    {
        var outer = _head;
        _head = new HashSet<string>(StringComparer.Ordinal);
        return outer;
    }

    public void Restore(HashSet<string> outer) => _head = outer;

    /// <summary>The rule for a reference; IsNew when its body must be compiled now (then call <see cref="Leave"/>).</summary>
    public (string Rule, JsonElement Schema, string Path, bool IsNew) Enter(string reference, string path, GbnfRules rules)
    {
        if (_targets.TryGetValue(reference, out var known))
        {
            if (Reaches(reference, _head))
            {
                throw SchemaRejectedException.At(path, "$ref", $"{reference} refers back to itself before any object or array opens.");
            }

            RecordHead(reference);
            return (known.Rule, default, "", false);
        }

        var (schema, targetPath, name) = Resolve(reference, path);
        RecordHead(reference);
        var target = new Target(rules.Fresh("def-" + name));
        _targets[reference] = target;
        _head.Add(reference);
        return (target.Rule, schema, targetPath, true);
    }

    public void Leave(string reference) => _head.Remove(reference);

    /// <summary>The schema a reference names, or null when it is not a supported local reference.</summary>
    public JsonElement? TryResolve(string reference)
    {
        if (reference == "#")
        {
            return root;
        }

        foreach (var container in SchemaKeywords.Definitions)
        {
            var prefix = "#/" + container + "/";
            if (reference.StartsWith(prefix, StringComparison.Ordinal) && reference.IndexOf('/', prefix.Length) < 0
                && root.ValueKind == JsonValueKind.Object && root.TryGetProperty(container, out var definitions)
                && definitions.ValueKind == JsonValueKind.Object
                && definitions.TryGetProperty(Pointer.Unescape(reference[prefix.Length..]), out var schema))
            {
                return schema;
            }
        }

        return null;
    }

    private (JsonElement Schema, string Path, string Name) Resolve(string reference, string path)
    {
        var supported = reference == "#" || SchemaKeywords.Definitions.Any(c => reference.StartsWith("#/" + c + "/", StringComparison.Ordinal));
        if (!supported)
        {
            throw SchemaRejectedException.At(path, "$ref", "Only #, #/$defs/<name> and #/definitions/<name> references are supported.");
        }

        return TryResolve(reference) is { } schema
            ? (schema, reference[1..], reference[(reference.LastIndexOf('/') + 1)..])
            : throw SchemaRejectedException.At(path, "$ref", $"{reference} names no definition in this schema.");
    }

    private void RecordHead(string reference)
    {
        foreach (var entered in _head)
        {
            _targets[entered].HeadReferences.Add(reference);
        }
    }

    /// <summary>Whether <paramref name="from"/> can reach one of <paramref name="head"/> without consuming a token.</summary>
    private bool Reaches(string from, HashSet<string> head)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out var current))
        {
            if (head.Contains(current))
            {
                return true;
            }

            if (seen.Add(current) && _targets.TryGetValue(current, out var target))
            {
                foreach (var next in target.HeadReferences)
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }

    private sealed class Target(string rule)
    {
        public string Rule { get; } = rule;

        public HashSet<string> HeadReferences { get; } = new(StringComparer.Ordinal);
    }
}
