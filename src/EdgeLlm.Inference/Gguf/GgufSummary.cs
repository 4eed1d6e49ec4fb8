namespace EdgeLlm.Inference.Gguf;

/// <summary>What a valid GGUF file declares, read from its header without touching tensor data.</summary>
public sealed class GgufSummary
{
    internal GgufSummary(
        uint version,
        long dataOffset,
        int alignment,
        IReadOnlyDictionary<string, GgufMetadataValue> metadata,
        IReadOnlyList<GgufTensorInfo> tensors,
        IReadOnlyList<GgufRawKeyValue> capturedKeyValues)
    {
        Version = version;
        Tensors = tensors;
        DataOffset = dataOffset;
        Alignment = alignment;
        Metadata = metadata;
        CapturedKeyValues = capturedKeyValues;
        Architecture = GetString("general.architecture") ?? string.Empty;
        Name = GetString("general.name");
        ContextLength = metadata.TryGetValue(Architecture + ".context_length", out var context) && context.TryGetInt64(out var length)
            ? length
            : null;
        HasChatTemplate = metadata.ContainsKey("tokenizer.chat_template");
    }

    /// <summary>The GGUF format version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>The value of <c>general.architecture</c>, e.g. <c>llama</c>.</summary>
    public string Architecture { get; }

    /// <summary>The number of tensors.</summary>
    public int TensorCount => Tensors.Count;

    /// <summary>The number of metadata key-value pairs.</summary>
    public int KeyValueCount => Metadata.Count;

    /// <summary>Where the tensor data section starts, in bytes from the start of the file.</summary>
    public long DataOffset { get; }

    /// <summary>The alignment of tensor data, in bytes (<c>general.alignment</c>, default 32).</summary>
    public int Alignment { get; }

    /// <summary>The value of <c>general.name</c>, if present.</summary>
    public string? Name { get; }

    /// <summary>The trained context length (<c>&lt;architecture&gt;.context_length</c>), if present.</summary>
    public long? ContextLength { get; }

    /// <summary>Whether the file carries a <c>tokenizer.chat_template</c>.</summary>
    public bool HasChatTemplate { get; }

    /// <summary>Every metadata entry by key; arrays appear with their length only.</summary>
    public IReadOnlyDictionary<string, GgufMetadataValue> Metadata { get; }

    /// <summary>The tensor table, in file order.</summary>
    internal IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Entries the caller asked to capture, exactly as encoded in the file, in file order.</summary>
    internal IReadOnlyList<GgufRawKeyValue> CapturedKeyValues { get; }

    /// <summary>Gets a string entry, or null when it is absent or not a string.</summary>
    public string? GetString(string key) =>
        Metadata.TryGetValue(key, out var value) && value.TryGetString(out var text) ? text : null;

    /// <summary>Gets an integer entry, or null when it is absent, not an integer or beyond <see cref="long"/>.</summary>
    public long? GetInt64(string key) =>
        Metadata.TryGetValue(key, out var value) && value.TryGetInt64(out var number) ? number : null;
}

/// <summary>
/// One metadata entry exactly as it is encoded in a validated file (key, type and value), so that
/// tools can copy it into another GGUF file without decoding it.
/// </summary>
internal sealed record GgufRawKeyValue(string Key, ReadOnlyMemory<byte> Encoded);
