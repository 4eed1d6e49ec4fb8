namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Decides, per request, whether a policy canary's candidate screens it: sticky per client, so one caller never sees
/// the two versions alternate. The update side implements it with the same stable hash as a model's canary split.
/// </summary>
public interface IPolicyCanarySplit
{
    /// <summary>True when the request of this API key id or <c>user</c> field goes to the candidate policy now.</summary>
    bool ToCandidate(string? apiKeyId, string? user);
}
