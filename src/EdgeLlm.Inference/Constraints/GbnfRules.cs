using System.Text;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// The rules of one grammar under construction, in definition order. Every name carries the compilation's
/// prefix, so that several compilations can be concatenated into one grammar without clashes.
/// </summary>
internal sealed class GbnfRules(string prefix)
{
    private readonly Dictionary<string, string?> _bodies = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private int _chars;

    public string Prefix { get; } = prefix;

    /// <summary>The prefixed name of a shared rule, defined on first use by <paramref name="body"/>.</summary>
    public string Shared(string name, Func<string> body)
    {
        var full = Prefix + name;
        if (!_bodies.ContainsKey(full))
        {
            Reserve(full);
            Define(full, body());
        }

        return full;
    }

    /// <summary>A new rule with a fresh name derived from <paramref name="hint"/>.</summary>
    public string Add(string hint, string body)
    {
        var name = Fresh(hint);
        Define(name, body);
        return name;
    }

    /// <summary>
    /// <paramref name="item"/> under a repetition <paramref name="quantifier"/> (<c>*</c>, <c>{0,5}</c>...). llama.cpp
    /// refuses a sequence whose bounded repetitions multiply past 2000 unless a rule reference sits between them, so
    /// anything but a plain rule name is repeated through a rule of its own.
    /// </summary>
    public string Repeat(string item, string quantifier, string hint) =>
        (IsValidName(item) && _bodies.ContainsKey(item) ? item : Add(hint, item)) + quantifier;

    /// <summary>A fresh name whose body comes later (a rule that refers to itself).</summary>
    public string Fresh(string hint)
    {
        var stem = Prefix + Sanitize(hint);
        var name = stem;
        for (var i = 2; _bodies.ContainsKey(name); i++)
        {
            name = stem + "-" + i;
        }

        Reserve(name);
        return name;
    }

    /// <summary>Claims an exact name (the start rule).</summary>
    public void Reserve(string name)
    {
        if (!_bodies.TryAdd(name, null))
        {
            throw new InvalidOperationException($"Grammar rule {name} is defined twice.");
        }

        _order.Add(name);
    }

    public void Define(string name, string body)
    {
        _bodies[name] = body;
        _chars += name.Length + body.Length + 6;
        if (_chars > SchemaLimits.MaxGrammarChars)
        {
            throw SchemaRejectedException.At("", "size", $"The grammar for this schema would exceed {SchemaLimits.MaxGrammarChars} characters.");
        }
    }

    public string Text()
    {
        var builder = new StringBuilder(_chars);
        foreach (var name in _order)
        {
            builder.Append(name).Append(" ::= ").Append(_bodies[name] ?? throw new InvalidOperationException($"Grammar rule {name} was never defined.")).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>GBNF rule names are letters, digits and dashes.</summary>
    public static bool IsValidName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string Sanitize(string hint)
    {
        var builder = new StringBuilder(Math.Min(hint.Length, 40));
        foreach (var c in hint)
        {
            if (builder.Length == 40)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return builder.Length == 0 ? "r" : builder.ToString();
    }
}
