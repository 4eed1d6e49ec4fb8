using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Ollama;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The Ollama benchmark reports only when a pair's greedy answers agree.</summary>
public sealed class OllamaReportTests
{
    [Fact]
    public void AnswersThatAgreeInEveryRoundLeaveNothingToRefuse() =>
        Assert.Empty(OllamaReport.Disagreements(Comparison(new ApiRound(Answer("Once upon", 2), Answer("Once upon", 2)), new ApiRound(Answer("Once upon", 2), Answer("Once upon", 2)))));

    [Fact]
    public void AnOllamaAnswerThatDiffersInTextOrTokensIsNamedWithItsRound()
    {
        var differing = OllamaReport.Disagreements(Comparison(
            new ApiRound(Answer("Once upon", 2), Answer("Once upon", 2)),
            new ApiRound(Answer("Once upon", 2), Answer("Once upon a", 3))));

        Assert.Equal("round 2, /api/generate: 3 tokens, \"Once upon a\"", Assert.Single(differing));
    }

    [Fact]
    public void AnswersTooShortForADecodeRateAreRefusedEvenWhenTheyAgree() =>
        Assert.Equal(2, OllamaReport.Disagreements(Comparison(new ApiRound(Answer("Once", 1), Answer("Once", 1)))).Count);

    private static ApiComparison Comparison(params ApiRound[] rounds) => new("/v1/completions", "/api/generate", rounds);

    private static ApiAnswer Answer(string text, int tokens) => new(new StreamTiming(0, 1, 2, tokens), text, 100);
}
