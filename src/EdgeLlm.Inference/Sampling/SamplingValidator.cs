namespace EdgeLlm.Inference.Sampling;

/// <summary>A request parameter that is out of range: which one, and why.</summary>
public sealed record ParameterProblem(string Parameter, string Message);

/// <summary>
/// Range checks for everything a client may pass to the sampler. Hostile values (NaN, infinities,
/// negatives, absurd sizes, token ids outside the vocabulary) never reach llama.cpp.
/// </summary>
public static class SamplingValidator
{
    public const int MaxStopSequences = 4;
    public const int MaxStopSequenceLength = 256;

    public static ParameterProblem? Validate(SamplingParameters p, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Range("temperature", p.Temperature, 0f, 2f)
            ?? RangeExclusiveLow("top_p", p.TopP, 0f, 1f)
            ?? (p.TopK < 0 || p.TopK > vocabularySize
                ? new ParameterProblem("top_k", $"top_k must be between 0 and the vocabulary size ({vocabularySize}).")
                : null)
            ?? Range("min_p", p.MinP, 0f, 1f)
            ?? RangeExclusiveLow("repeat_penalty", p.RepeatPenalty, 0f, 10f)
            ?? Range("frequency_penalty", p.FrequencyPenalty, -2f, 2f)
            ?? Range("presence_penalty", p.PresencePenalty, -2f, 2f);
    }

    public static ParameterProblem? ValidateStop(IReadOnlyList<string> stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        if (stop.Count > MaxStopSequences)
        {
            return new ParameterProblem("stop", $"At most {MaxStopSequences} stop sequences are allowed.");
        }

        foreach (var s in stop)
        {
            if (string.IsNullOrEmpty(s) || s.Length > MaxStopSequenceLength)
            {
                return new ParameterProblem("stop", $"Each stop sequence must be 1-{MaxStopSequenceLength} characters.");
            }
        }

        return null;
    }

    public static ParameterProblem? ValidateMaxTokens(int? maxTokens, string name) =>
        maxTokens is < 1 ? new ParameterProblem(name, $"{name} must be at least 1.") : null;

    private static ParameterProblem? Range(string name, float value, float min, float max) =>
        float.IsFinite(value) && value >= min && value <= max
            ? null
            : new ParameterProblem(name, $"{name} must be a number between {min} and {max}.");

    private static ParameterProblem? RangeExclusiveLow(string name, float value, float min, float max) =>
        float.IsFinite(value) && value > min && value <= max
            ? null
            : new ParameterProblem(name, $"{name} must be a number greater than {min} and at most {max}.");
}
