using EdgeLlm.Inference.PrefixReuse;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// <see cref="IKvMemory"/> over a llama context's memory. LLamaSharp drops the success flag of
/// <c>llama_memory_seq_rm</c>, so every trim checks its result instead: a memory that cannot cut a sequence back
/// would leave cells that the next positions collide with, which must stop the scheduler rather than corrupt answers.
/// </summary>
internal sealed class LlamaKvMemory(SafeLLamaContextHandle context) : IKvMemory
{
    public void Copy(int source, int destination, int length) =>
        context.MemorySequenceCopy((LLamaSeqId)source, (LLamaSeqId)destination, 0, length);

    public void Trim(int sequence, int from)
    {
        context.MemorySequenceRemove((LLamaSeqId)sequence, from, -1);
        var last = context.MemorySequenceMaxPosition((LLamaSeqId)sequence).Value;
        if (last >= from)
        {
            throw new InvalidOperationException($"The KV memory kept sequence {sequence}'s position {last} after removing positions from {from} on.");
        }
    }
}
