using LLama;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Whether a model's KV memory can be shared between sequences and cut back at any position, which prefix reuse and
/// speculation both need: not for a sliding-window attention model (cells outside the window are reused in place),
/// a recurrent or hybrid one (its state has no positions to cut at) or an encoder. Null <see cref="Reason"/>: supported.
/// </summary>
internal readonly record struct KvReuseSupport(string? Reason)
{
    public bool Supported => Reason is null;

    /// <summary>What the model's metadata rules out, before its context exists.</summary>
    public static KvReuseSupport Of(SafeLlamaModelHandle model, ModelParams parameters) =>
        new(parameters.Embeddings ? "an embedding context"
            : model.HasEncoder ? "the model has an encoder"
            : model.IsRecurrent ? "the model's memory is recurrent"
            : model.SWACount > 0 ? "the model uses sliding-window attention"
            : null);

    /// <summary>
    /// Decodes two tokens on the spare sequence <paramref name="probe"/> and cuts the second off: a memory that cannot
    /// (a hybrid model, which LLamaSharp cannot ask about) keeps it, and reuse is off. The sequence is left empty.
    /// </summary>
    public static KvReuseSupport Probe(LLamaContext context, SafeLlamaModelHandle model, int probe)
    {
        var handle = context.NativeHandle;
        var sequence = (LLamaSeqId)probe;
        var token = model.Vocab.BOS ?? (LLamaToken)0;
        var batch = new LLamaBatch();
        batch.Add(token, 0, sequence, false);
        batch.Add(token, 1, sequence, true);
        try
        {
            if (context.Decode(batch) != DecodeResult.Ok)
            {
                return new("a probe decode failed");
            }

            handle.MemorySequenceRemove(sequence, 1, -1);
            return handle.MemorySequenceMaxPosition(sequence).Value == 0 ? new(null) : new("the model's memory cannot be cut back");
        }
        finally
        {
            handle.MemorySequenceRemove(sequence, 0, -1);
        }
    }
}
