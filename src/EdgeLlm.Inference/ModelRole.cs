namespace EdgeLlm.Inference;

/// <summary>What a configured model is for (<c>Inference:Models:N:Role</c>); it decides which endpoints serve it and how it is probed.</summary>
public enum ModelRole
{
    /// <summary>Generates: <c>/v1/chat/completions</c> and <c>/v1/completions</c>; it can also embed on <c>/v1/embeddings</c>.</summary>
    Chat,

    /// <summary>Embeds only: served on <c>/v1/embeddings</c>, refused for generation, probed by embedding a short text.</summary>
    Embedding,

    /// <summary>
    /// Reserved for the safety supervisor: loads and is probed like a chat model, but no public endpoint serves it yet
    /// (generation and embedding requests naming it are refused).
    /// </summary>
    Guard,
}
