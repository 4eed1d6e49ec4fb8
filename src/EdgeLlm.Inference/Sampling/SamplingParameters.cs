namespace EdgeLlm.Inference.Sampling;

/// <summary>
/// How the next token is chosen, per request. Defaults follow the OpenAI API; temperature 0 is greedy.
/// Values reach native code only after <see cref="SamplingValidator"/> accepted them.
/// </summary>
public sealed record SamplingParameters
{
    public static SamplingParameters Greedy { get; } = new() { Temperature = 0f };

    /// <summary>0 = greedy (argmax). Range [0, 2]. Default 1.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Nucleus sampling mass. Range (0, 1]. Default 1 (off).</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Keep the K most likely tokens; 0 = off. Range [0, vocabulary size]. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Drop tokens below this fraction of the best token's probability; 0 = off. Range [0, 1]. Default 0.</summary>
    public float MinP { get; init; }

    /// <summary>Multiplicative penalty on recently seen tokens; 1 = off. Range (0, 10]. Default 1.</summary>
    public float RepeatPenalty { get; init; } = 1f;

    /// <summary>OpenAI frequency penalty. Range [-2, 2]. Default 0.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>OpenAI presence penalty. Range [-2, 2]. Default 0.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Seed of the random choice; null picks one. Same seed, same prompt, same model: same output.</summary>
    public uint? Seed { get; init; }

    public bool IsGreedy => Temperature == 0f;
}
