namespace EdgeLlm.Inference.Versions;

/// <summary>The split while no rollout runs: every request goes to the active version.</summary>
internal sealed class NoCanarySplit : ICanarySplit
{
    public bool ToCandidate(string model, string? apiKeyId, string? user) => false;
}
