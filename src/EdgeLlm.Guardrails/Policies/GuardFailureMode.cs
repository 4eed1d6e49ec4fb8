namespace EdgeLlm.Guardrails.Policies;

/// <summary>What happens when the guard model cannot give a verdict in time (unloaded, failed, timed out).</summary>
public enum GuardFailureMode
{
    /// <summary><c>closed</c>: treat the text as unsafe. The default: a safety supervisor that fails open is no supervisor.</summary>
    Closed,

    /// <summary><c>open</c>: let the text through, counted.</summary>
    Open,
}
