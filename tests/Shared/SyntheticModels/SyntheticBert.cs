namespace EdgeLlm.Testing;

/// <summary>
/// A tiny BERT (2 layers, hidden size 32, 2 heads, a WordPiece vocabulary of a few hundred tokens) with random weights,
/// written at test time into the ignored <c>.models/synthetic/</c> and never committed. Its metadata and tensors are the
/// ones llama.cpp b10221's <c>llama_model_bert</c> loads (separate Q/K/V with biases, learned positions, token types,
/// post-attention and post-feed-forward layer norms); the tokenizer is llama.cpp's WPM, whose word-initial pieces start
/// with U+2581 the way its converter writes them.
/// </summary>
internal static class SyntheticBert
{
    public const int HiddenSize = 32;
    public const int Layers = 2;
    public const int Heads = 2;
    public const int FeedForward = 64;
    public const int TrainedContext = 128;

    /// <summary>llama.cpp's LLAMA_POOLING_TYPE_MEAN and _CLS, as <c>bert.pooling_type</c> carries them.</summary>
    public const uint MeanPooling = 1;
    public const uint ClsPooling = 2;

    private const uint F32 = 0;
    private const uint F16 = 1;
    private const string WordStart = "\u2581";

    private static readonly Lock Gate = new();

    private static readonly string[] Words =
    [
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "is", "was", "are",
        "were", "be", "it", "he", "she", "they", "we", "you", "i", "this", "that", "there", "here", "not", "no", "yes",
        "dog", "dogs", "cat", "cats", "bird", "fish", "horse", "cow", "mouse", "tree", "trees", "house", "car", "road",
        "river", "sea", "sky", "sun", "moon", "star", "rain", "snow", "wind", "fire", "water", "stone", "book", "door",
        "ran", "run", "runs", "slept", "sleep", "sang", "sing", "ate", "eat", "saw", "see", "went", "go", "came", "come",
        "little", "big", "small", "old", "new", "red", "blue", "green", "happy", "sad", "fast", "slow", "good", "bad",
        "weather", "forecast", "today", "tomorrow", "cold", "warm", "hot", "sunny", "cloudy", "storm", "price", "cost",
        "money", "pay", "bill", "invoice", "order", "refund", "shop", "buy", "sell", "code", "bug", "test", "build",
        "program", "computer", "server", "model", "question", "answer", "hello", "world", "time", "day", "night",
        "morning", "evening", "week", "year", "once", "upon", "story", "stories", "king", "queen", "girl", "boy", "friend",
    ];

    /// <summary>The model pooled by the mean of its token vectors, written on first use.</summary>
    public static string MeanPooled => Ensure("bert-tiny-v2-mean.gguf", MeanPooling);

    /// <summary>The same weights, pooled by the vector of the first ([CLS]) token.</summary>
    public static string ClsPooled => Ensure("bert-tiny-v2-cls.gguf", ClsPooling);

    /// <summary>[PAD], [UNK], [CLS], [SEP], [MASK], then word-initial and continuing letters and digits, punctuation and whole words.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } = BuildVocabulary();

    /// <summary>
    /// Writes the model to <paramref name="path"/>; <paramref name="omitTensor"/> leaves that tensor out (a file llama.cpp
    /// would refuse). The weights depend on nothing but the fixed seed.
    /// </summary>
    public static void Write(string path, uint poolingType, string? omitTensor = null)
    {
        var tensors = Tensors().Where(t => t.Name != omitTensor).ToList();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var gguf = new GgufStreamWriter(file);
        gguf.Header(tensors.Count, keyValueCount: 19);
        gguf.String("general.architecture", "bert");
        gguf.String("general.name", "synthetic-bert-tiny");
        gguf.UInt32("bert.context_length", TrainedContext);
        gguf.UInt32("bert.embedding_length", HiddenSize);
        gguf.UInt32("bert.feed_forward_length", FeedForward);
        gguf.UInt32("bert.block_count", Layers);
        gguf.UInt32("bert.attention.head_count", Heads);
        gguf.Float32("bert.attention.layer_norm_epsilon", 1e-12f);
        gguf.Bool("bert.attention.causal", false);
        gguf.UInt32("bert.pooling_type", poolingType);
        gguf.String("tokenizer.ggml.model", "bert");
        gguf.Strings("tokenizer.ggml.tokens", Vocabulary);
        gguf.Int32s("tokenizer.ggml.token_type", [.. Vocabulary.Select((_, i) => i < 5 ? 3 : 1)]); // control, else normal
        gguf.UInt32("tokenizer.ggml.token_type_count", 2);
        gguf.UInt32("tokenizer.ggml.padding_token_id", 0);
        gguf.UInt32("tokenizer.ggml.unknown_token_id", 1);
        gguf.UInt32("tokenizer.ggml.bos_token_id", 2);
        gguf.UInt32("tokenizer.ggml.seperator_token_id", 3); // llama.cpp's spelling
        gguf.UInt32("tokenizer.ggml.mask_token_id", 4);

        var offset = 0L;
        foreach (var tensor in tensors)
        {
            gguf.TensorInfo(tensor.Name, tensor.Half ? F16 : F32, tensor.Shape, offset);
            offset += Padded(tensor.Bytes);
        }

        gguf.Pad();
        var random = new Random(20260);
        foreach (var tensor in tensors)
        {
            gguf.Bytes(tensor.Data(random));
            gguf.Pad();
        }
    }

    private static string Ensure(string fileName, uint poolingType)
    {
        var path = Path.Combine(TestModels.RepositoryRoot, ".models", "synthetic", fileName);
        lock (Gate)
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // Written aside, then renamed: another test process never sees half a file.
                var partial = $"{path}.{Guid.NewGuid():N}.partial";
                Write(partial, poolingType);
                File.Move(partial, path, overwrite: true);
            }
        }

        return path;
    }

    private static List<SyntheticTensor> Tensors()
    {
        var tensors = new List<SyntheticTensor>
        {
            new("token_embd.weight", [HiddenSize, Vocabulary.Count], Half: true, Kind.Embedding),
            new("token_types.weight", [HiddenSize, 2], Half: false, Kind.Embedding),
            new("position_embd.weight", [HiddenSize, TrainedContext], Half: false, Kind.Embedding),
            new("token_embd_norm.weight", [HiddenSize], Half: false, Kind.One),
            new("token_embd_norm.bias", [HiddenSize], Half: false, Kind.Zero),
        };
        for (var i = 0; i < Layers; i++)
        {
            foreach (var part in new[] { "attn_q", "attn_k", "attn_v", "attn_output" })
            {
                tensors.Add(new($"blk.{i}.{part}.weight", [HiddenSize, HiddenSize], Half: true, Kind.Weight));
                tensors.Add(new($"blk.{i}.{part}.bias", [HiddenSize], Half: false, Kind.Weight));
            }

            tensors.AddRange(
            [
                new($"blk.{i}.attn_output_norm.weight", [HiddenSize], Half: false, Kind.One),
                new($"blk.{i}.attn_output_norm.bias", [HiddenSize], Half: false, Kind.Zero),
                new($"blk.{i}.ffn_up.weight", [HiddenSize, FeedForward], Half: true, Kind.Weight),
                new($"blk.{i}.ffn_up.bias", [FeedForward], Half: false, Kind.Weight),
                new($"blk.{i}.ffn_down.weight", [FeedForward, HiddenSize], Half: true, Kind.Weight),
                new($"blk.{i}.ffn_down.bias", [HiddenSize], Half: false, Kind.Weight),
                new($"blk.{i}.layer_output_norm.weight", [HiddenSize], Half: false, Kind.One),
                new($"blk.{i}.layer_output_norm.bias", [HiddenSize], Half: false, Kind.Zero),
            ]);
        }

        return tensors;
    }

    private static List<string> BuildVocabulary()
    {
        List<string> vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        foreach (var c in "abcdefghijklmnopqrstuvwxyz0123456789")
        {
            vocabulary.Add(WordStart + c);
            vocabulary.Add(c.ToString());
        }

        vocabulary.AddRange(".,!?'\":;-()".Select(c => WordStart + c));
        vocabulary.AddRange(Words.Select(w => WordStart + w));

        // llama.cpp asserts (aborting the process) on a vocabulary with a token twice: "a" and "i" are letters and words.
        return [.. vocabulary.Distinct(StringComparer.Ordinal)];
    }

    private static long Padded(long bytes) => (bytes + GgufStreamWriter.Alignment - 1) / GgufStreamWriter.Alignment * GgufStreamWriter.Alignment;

    private enum Kind
    {
        Zero,
        One,
        Weight,
        Embedding,
    }

    private sealed record SyntheticTensor(string Name, long[] Shape, bool Half, Kind Kind)
    {
        public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

        public long Bytes => Elements * (Half ? 2 : 4);

        /// <summary>Norms of 1 with biases of 0; weights within ±0.2 and embeddings within ±1, so every layer stays finite.</summary>
        public byte[] Data(Random random)
        {
            var values = new float[Elements];
            var range = Kind switch { Kind.Weight => 0.2f, Kind.Embedding => 1f, _ => 0f };
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Kind == Kind.One ? 1f : range * ((2 * random.NextSingle()) - 1);
            }

            if (!Half)
            {
                return [.. values.SelectMany(BitConverter.GetBytes)];
            }

            return [.. values.SelectMany(v => BitConverter.GetBytes((System.Half)v))];
        }
    }
}
