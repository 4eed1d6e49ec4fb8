using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeLlm.Inference.Gguf;

namespace EdgeLlm.Benchmarks.SyntheticModels;

/// <summary>
/// Writes a llama-architecture GGUF with random weights and a real tokenizer, so benchmarks can
/// run a model of realistic size that is generated on the spot instead of downloaded or committed.
/// </summary>
/// <remarks>
/// Quantised blocks get random quants and a small random scale (weights within about ±0.02), so
/// activations stay finite through every layer; norms are 1.0. The output is meaningless text at
/// the speed of a real model of the same shape.
/// </remarks>
internal static class SyntheticLlamaWriter
{
    private const int Alignment = 32;
    private const int ChunkBytes = 4 << 20;
    private const float WeightRange = 0.02f;

    /// <summary>
    /// Writes <paramref name="shape"/> to <paramref name="destination"/> with the tokenizer metadata
    /// (<c>tokenizer.*</c>) of <paramref name="tokenizerSource"/>. The file appears under its name
    /// only when complete; an existing file there is replaced.
    /// </summary>
    /// <returns>The size of the file written, in bytes.</returns>
    public static long Write(string destination, SyntheticLlamaShape shape, string tokenizerSource, ulong seed = 1)
    {
        shape.EnsureValid();
        var tokenizer = ReadTokenizer(tokenizerSource);
        var vocabulary = tokenizer.Metadata["tokenizer.ggml.tokens"].ArrayLength;
        var tensors = Tensors(shape, vocabulary);
        var header = Header(shape, tokenizer.CapturedKeyValues, tensors, out var dataLength);

        var temporary = $"{destination}.{Guid.NewGuid():N}.partial";
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                BufferSize = 1 << 20,
                PreallocationSize = header.Length + dataLength,
            };
            using (var file = new FileStream(temporary, options))
            {
                file.Write(header);
                var random = new SplitMix64(seed);
                var chunk = new byte[ChunkBytes];
                foreach (var tensor in tensors)
                {
                    WriteData(file, tensor, chunk, ref random);
                }
            }

            // A regenerable benchmark artifact: no fsync, but a crash never leaves a partial file under the real name.
            File.Move(temporary, destination, overwrite: true);
            return header.Length + dataLength;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static GgufSummary ReadTokenizer(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var result = new GgufValidator().Validate(stream, stream.Length, key => key.StartsWith("tokenizer.", StringComparison.Ordinal));
        if (!result.IsValid)
        {
            throw new InvalidDataException($"The tokenizer source is not a valid GGUF file: {result}");
        }

        if (!result.Summary.Metadata.TryGetValue("tokenizer.ggml.tokens", out var tokens) || !tokens.IsArray || tokens.ArrayLength == 0)
        {
            throw new InvalidDataException("The tokenizer source has no tokenizer.ggml.tokens array.");
        }

        return result.Summary;
    }

    private static List<SyntheticTensor> Tensors(SyntheticLlamaShape shape, long vocabulary)
    {
        long embd = shape.EmbeddingLength;
        var matrix = shape.WeightType;
        var tensors = new List<SyntheticTensor>
        {
            new("token_embd.weight", matrix, embd, vocabulary),
            new("output_norm.weight", GgmlType.F32, embd, 1),
            new("output.weight", matrix, embd, vocabulary),
        };
        for (var i = 0; i < shape.BlockCount; i++)
        {
            tensors.AddRange(
            [
                new($"blk.{i}.attn_norm.weight", GgmlType.F32, embd, 1),
                new($"blk.{i}.attn_q.weight", matrix, embd, embd),
                new($"blk.{i}.attn_k.weight", matrix, embd, shape.KvDimension),
                new($"blk.{i}.attn_v.weight", matrix, embd, shape.KvDimension),
                new($"blk.{i}.attn_output.weight", matrix, embd, embd),
                new($"blk.{i}.ffn_norm.weight", GgmlType.F32, embd, 1),
                new($"blk.{i}.ffn_gate.weight", matrix, embd, shape.FeedForwardLength),
                new($"blk.{i}.ffn_up.weight", matrix, embd, shape.FeedForwardLength),
                new($"blk.{i}.ffn_down.weight", matrix, shape.FeedForwardLength, embd),
            ]);
        }

        return tensors;
    }

    private static byte[] Header(SyntheticLlamaShape shape, IReadOnlyList<GgufRawKeyValue> tokenizer, List<SyntheticTensor> tensors, out long dataLength)
    {
        using var buffer = new MemoryStream();
        var w = new GgufHeaderWriter(buffer);
        w.Header(tensorCount: tensors.Count, keyValueCount: 13 + tokenizer.Count);
        w.String("general.architecture", "llama");
        w.String("general.name", $"synthetic-llama-{shape.EmbeddingLength}x{shape.BlockCount}-{shape.WeightType}");
        w.UInt32("general.file_type", shape.WeightType == GgmlType.Q4_0 ? 2u : 7u); // LLAMA_FTYPE_MOSTLY_Q4_0 / _Q8_0
        w.UInt32("general.quantization_version", 2);
        w.UInt32("llama.context_length", (uint)shape.ContextLength);
        w.UInt32("llama.embedding_length", (uint)shape.EmbeddingLength);
        w.UInt32("llama.block_count", (uint)shape.BlockCount);
        w.UInt32("llama.feed_forward_length", (uint)shape.FeedForwardLength);
        w.UInt32("llama.attention.head_count", (uint)shape.HeadCount);
        w.UInt32("llama.attention.head_count_kv", (uint)shape.KvHeadCount);
        w.UInt32("llama.rope.dimension_count", (uint)shape.HeadDimension);
        w.Float32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        w.Float32("llama.rope.freq_base", 10_000f);
        foreach (var entry in tokenizer)
        {
            w.Raw(entry.Encoded.Span);
        }

        var offset = 0L;
        foreach (var tensor in tensors)
        {
            w.TensorInfo(tensor.Name, tensor.Type, tensor.Columns, tensor.Rows, offset);
            offset += Pad(tensor.ByteSize);
        }

        w.PadTo(Alignment);
        dataLength = offset;
        return buffer.ToArray();
    }

    private static void WriteData(FileStream file, SyntheticTensor tensor, byte[] chunk, ref SplitMix64 random)
    {
        var info = GgmlTypes.Get(tensor.Type);
        var remaining = tensor.ByteSize;
        var chunkLength = ChunkBytes / info.TypeSize * info.TypeSize;
        while (remaining > 0)
        {
            var length = (int)Math.Min(chunkLength, remaining);
            var span = chunk.AsSpan(0, length);
            if (tensor.Type == GgmlType.F32)
            {
                MemoryMarshal.Cast<byte, float>(span).Fill(1.0f);
            }
            else
            {
                FillBlocks(span, info, ref random);
            }

            file.Write(span);
            remaining -= length;
        }

        chunk.AsSpan(0, (int)(Pad(tensor.ByteSize) - tensor.ByteSize)).Clear();
        file.Write(chunk, 0, (int)(Pad(tensor.ByteSize) - tensor.ByteSize));
    }

    /// <summary>Random quants, then each block's leading f16 scale replaced by a small random one.</summary>
    private static void FillBlocks(Span<byte> blocks, GgmlTypeInfo info, ref SplitMix64 random)
    {
        random.Fill(blocks);
        var scales = info.Type == GgmlType.Q4_0 ? Q4Scales : Q8Scales;
        for (var offset = 0; offset + info.TypeSize <= blocks.Length; offset += info.TypeSize)
        {
            // The block's own random quant byte picks the scale: no second random stream needed.
            BinaryPrimitives.WriteUInt16LittleEndian(blocks[offset..], scales[blocks[offset + 2]]);
        }
    }

    // Q4_0 weights are (nibble - 8) * d, Q8_0 weights q * d: scale so both stay within ±WeightRange.
    private static readonly ushort[] Q4Scales = ScaleTable(WeightRange / 8);
    private static readonly ushort[] Q8Scales = ScaleTable(WeightRange / 128);

    private static ushort[] ScaleTable(float typical) =>
        [.. Enumerable.Range(0, 256).Select(i => BitConverter.HalfToUInt16Bits((Half)(typical * (0.5f + (i / 256f)))))];

    private static long Pad(long length) => (length + Alignment - 1) / Alignment * Alignment;

    private sealed record SyntheticTensor(string Name, GgmlType Type, long Columns, long Rows)
    {
        public long ByteSize { get; } = GgmlTypes.Get(Type).ByteSize(Columns * Rows);
    }

    /// <summary>Fast, seedable, good enough for noise: SplitMix64, eight bytes per step.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public void Fill(Span<byte> destination)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(destination);
            for (var i = 0; i < words.Length; i++)
            {
                words[i] = Next();
            }

            var tail = destination[(words.Length * 8)..];
            Debug.Assert(tail.Length < 8);
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..tail.Length].CopyTo(tail);
        }

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
