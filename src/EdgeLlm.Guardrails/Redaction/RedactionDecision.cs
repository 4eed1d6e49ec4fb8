namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// How many entities of one family got one action. It never carries the matched text, so it can go to the audit
/// trail, the metrics and the log as it is.
/// </summary>
public sealed record RedactionDecision(string Family, RedactionAction Action, int Count);
