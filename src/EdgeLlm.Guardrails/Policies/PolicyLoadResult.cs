namespace EdgeLlm.Guardrails.Policies;

/// <summary>What reading a policy document gave: the compiled set, or the first problem found and where.</summary>
public abstract record PolicyLoadResult
{
    private PolicyLoadResult()
    {
    }

    public sealed record Loaded(GuardrailPolicySet Policies) : PolicyLoadResult;

    /// <param name="Path">Where the problem is, as a JSON path: <c>$.detectors.card.output</c>, <c>$.deny[3].patterns[0]</c>.</param>
    /// <param name="Message">What is wrong there, for the operator; never more of the document than the member's name.</param>
    public sealed record Refused(string Path, string Message) : PolicyLoadResult
    {
        public override string ToString() => $"{Path}: {Message}";
    }
}
