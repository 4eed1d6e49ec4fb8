namespace EdgeLlm.Inference.Models;

/// <summary>When a model is in memory (Inference:Models LoadPolicy).</summary>
public enum ModelLoadPolicy
{
    /// <summary>Loaded at start and kept until the daemon stops or an update replaces it.</summary>
    Pinned,

    /// <summary>Loaded at its first request; unloaded after its keep-alive without requests, or evicted for another model.</summary>
    OnDemand,
}

public static class ModelLoadPolicies
{
    /// <summary>The policy <paramref name="text"/> names (<c>pinned</c>, <c>on-demand</c>), or null.</summary>
    public static ModelLoadPolicy? Parse(string? text) => text switch
    {
        "pinned" => ModelLoadPolicy.Pinned,
        "on-demand" => ModelLoadPolicy.OnDemand,
        _ => null,
    };

    public static string Name(this ModelLoadPolicy policy) => policy == ModelLoadPolicy.Pinned ? "pinned" : "on-demand";
}
