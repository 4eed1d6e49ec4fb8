using EdgeLlm.Inference.Gguf;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>How a model's token vectors become one vector per text.</summary>
internal static class EmbeddingPooling
{
    /// <summary>
    /// The pooling the model declares (<c>&lt;architecture&gt;.pooling_type</c>, as BERT-family GGUFs do) when it yields one vector per
    /// text: mean, CLS or last token; otherwise (none declared, per-token or rank) the mean of every token's vector.
    /// </summary>
    public static LLamaPoolingType Of(GgufSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.GetInt64(summary.Architecture + ".pooling_type") switch
        {
            (long)LLamaPoolingType.CLS => LLamaPoolingType.CLS,
            (long)LLamaPoolingType.Last => LLamaPoolingType.Last,
            _ => LLamaPoolingType.Mean,
        };
    }
}
