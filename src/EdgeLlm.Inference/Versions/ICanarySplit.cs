namespace EdgeLlm.Inference.Versions;

/// <summary>Decides, per request, whether a model's candidate version serves it (a canary rollout's traffic split).</summary>
public interface ICanarySplit
{
    /// <summary>
    /// True when this request for <paramref name="model"/> goes to its candidate: sticky, by a stable hash of the API key
    /// id or the request's <c>user</c> field (as the rollout says), against the rollout's current weight.
    /// </summary>
    bool ToCandidate(string model, string? apiKeyId, string? user);
}
