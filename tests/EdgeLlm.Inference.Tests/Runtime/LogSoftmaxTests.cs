using EdgeLlm.Inference.Runtime;

namespace EdgeLlm.Inference.Tests.Runtime;

public sealed class LogSoftmaxTests
{
    [Fact]
    public void TheLogprobsOfAllTokensSumToOneInProbability()
    {
        float[] logits = [1f, 2f, 3f, 0.5f];

        var total = Enumerable.Range(0, logits.Length).Sum(t => Math.Exp(LogSoftmax.Sampled(t, logits, 0).Logprob!.Value));

        Assert.Equal(1.0, total, 5);
        Assert.Equal(3f - MathF.Log(MathF.Exp(1f) + MathF.Exp(2f) + MathF.Exp(3f) + MathF.Exp(0.5f)), LogSoftmax.Sampled(2, logits, 0).Logprob!.Value, 5);
    }

    [Fact]
    public void TokensTheGrammarRefusedHaveNoShareOfTheProbability()
    {
        float[] logits = [2f, float.NegativeInfinity, 2f, float.NegativeInfinity];

        var sampled = LogSoftmax.Sampled(0, logits, 5);

        Assert.Equal(MathF.Log(0.5f), sampled.Logprob!.Value, 5);
        Assert.Equal([0, 2], sampled.Top!.Select(t => t.Token));
    }

    [Fact]
    public void TheAlternativesAreTheBestTokensBestFirstWithTiesInTokenOrder()
    {
        float[] logits = [0f, 5f, 1f, 5f, 3f, -1f];

        Assert.Equal([1, 3, 4], LogSoftmax.Best(logits, 3));
        Assert.Empty(LogSoftmax.Best(logits, 0));
        Assert.Equal([1, 3, 4, 2, 0, 5], LogSoftmax.Best(logits, 20));
    }
}
