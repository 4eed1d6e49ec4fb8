namespace EdgeLlm.Guardrails.Redaction;

/// <summary>Counts actions per family and action; a request meets a handful of families, so a list beats a dictionary.</summary>
internal sealed class DecisionTally
{
    private readonly List<(string Family, RedactionAction Action, int Count)> counts = [];

    public void Add(string family, RedactionAction action)
    {
        for (var i = 0; i < counts.Count; i++)
        {
            var entry = counts[i];
            if (entry.Action == action && string.Equals(entry.Family, family, StringComparison.Ordinal))
            {
                counts[i] = entry with { Count = entry.Count + 1 };
                return;
            }
        }

        counts.Add((family, action, 1));
    }

    public IReadOnlyList<RedactionDecision> ToDecisions() =>
        counts.ConvertAll(entry => new RedactionDecision(entry.Family, entry.Action, entry.Count));
}
