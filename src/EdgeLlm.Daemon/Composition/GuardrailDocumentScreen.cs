using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Retrieval.Ingestion;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// Documents being ingested get the tenant's guardrail policy for retrieved text: one session per document, so a value
/// keeps one placeholder across its chunks, and its decisions are audited like a request's.
/// </summary>
internal sealed class GuardrailDocumentScreen(GuardrailEnforcer enforcer) : IDocumentScreen
{
    public DocumentScreening Screen(string tenant, IReadOnlyList<string> texts)
    {
        var session = enforcer.Begin(tenant, keyId: null);
        var screened = new List<string>(texts.Count);
        foreach (var text in texts)
        {
            var outcome = session.Screen(text, GuardrailDirection.Retrieved);
            if (outcome.BlockedBy is { } rule)
            {
                return new DocumentScreening(null, rule);
            }

            screened.Add(outcome.Text);
        }

        return new DocumentScreening(screened, null);
    }
}
