namespace EdgeLlm.Inference.PrefixReuse;

/// <summary>
/// The KV-cache operations the prefix cache needs, by sequence id (llama.cpp's <c>llama_memory_seq_*</c>, or a fake
/// in unit tests). Positions are 0-based and a sequence's cells always hold positions 0..length-1.
/// </summary>
internal interface IKvMemory
{
    /// <summary>Gives <paramref name="destination"/> the cells of <paramref name="source"/>'s positions [0, <paramref name="length"/>): shared, not copied.</summary>
    void Copy(int source, int destination, int length);

    /// <summary>Drops <paramref name="sequence"/>'s positions from <paramref name="from"/> on (cells no other sequence holds are freed).</summary>
    void Trim(int sequence, int from);
}
