namespace EdgeLlm.Benchmarks;

/// <summary>Fixed prompts, so runs are comparable; up to eight concurrent streams each get a different one.</summary>
internal static class BenchmarkPrompts
{
    /// <summary>The prompt of the decode-rate runs (baseline and daemon single stream).</summary>
    public const string Decode = "Once upon a time, there was a little girl named Lily. She loved to play";

    /// <summary>The prompt of the time-to-first-token runs (baseline prompt time and daemon TTFT).</summary>
    public const string FirstToken = "One day, a little boy went to the park with his mom. He saw a big";

    public static IReadOnlyList<string> Streams { get; } =
    [
        "Once upon a time, there was a little dog named Max.",
        "The sun was shining and the birds were singing in the tree.",
        "Tom and Sue went to the beach to build a sandcastle.",
        "There was a big red ball in the garden behind the house.",
        "Mia wanted to bake a cake for her grandmother's birthday.",
        "A little bunny lived in a hole under an old oak tree.",
        "One morning, Ben found a shiny key on the kitchen floor.",
        "The cat sat by the window and watched the rain fall.",
    ];
}
