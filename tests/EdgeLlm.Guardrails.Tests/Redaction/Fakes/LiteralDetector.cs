using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Redaction.Fakes;

/// <summary>Finds every occurrence of fixed strings, each with a set score: for tests that need exact control.</summary>
internal sealed class LiteralDetector(string family, params (string Text, double Score)[] literals) : IEntityDetector
{
    public string Family => family;

    public int MaxMatchLength => literals.Max(literal => literal.Text.Length);

    public IEnumerable<EntityMatch> Find(string text)
    {
        var found = new List<EntityMatch>();
        foreach (var (literal, score) in literals)
        {
            for (var at = text.IndexOf(literal, StringComparison.Ordinal); at >= 0; at = text.IndexOf(literal, at + literal.Length, StringComparison.Ordinal))
            {
                found.Add(new EntityMatch(Family, at, literal.Length, score));
            }
        }

        return found.OrderBy(match => match.Start);
    }
}
