using System.Collections.Frozen;

namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// The supported architectures that only encode: BERT and its descendants. llama.cpp gives them no KV cache and no
/// logits (they attend both ways over the whole text at once), so they embed and never generate; their context is held to
/// the trained length, where BERT's learned absolute positions end.
/// </summary>
public static class EncoderArchitectures
{
    private static readonly FrozenSet<string> Names = new[] { "bert", "nomic-bert", "jina-bert-v2" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="architecture"/> (<c>general.architecture</c>) only encodes.</summary>
    public static bool Contains(string architecture) => Names.Contains(architecture);
}
