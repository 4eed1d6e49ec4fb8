using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

/// <summary>
/// The verify rule keeps the target distribution: a fake model with known next-token probabilities (a Markov chain
/// over 3 tokens) answers 3 tokens, 100,000 times, through repeated verify steps with guessed drafts; the answers'
/// distribution over all 27 sequences is held to the chain's by a chi-square test. Each position's token is drawn
/// from the logits the model would have there: conditioned on the draft decoded before it, as in a real verify batch.
/// Rules known to be wrong fail the same test, so it can tell.
/// </summary>
public sealed class AcceptanceRuleTests
{
    private const int Vocabulary = 3;
    private const int AnswerLength = 3;
    private const int Trials = 100_000;

    // Chi-square, 26 degrees of freedom, upper 0.1 % point: a correct rule fails with probability 0.001.
    private const double Critical = 54.052;

    private static readonly double[][] Next =
    [
        [0.5, 0.3, 0.2],
        [0.1, 0.6, 0.3],
        [0.25, 0.25, 0.5],
    ];

    /// <summary>A verify rule: runs positions over the drafts, delivering tokens until the job ends.</summary>
    private delegate VerifyOutcome Rule(int[] drafts, Func<int, int> sampleAt, Func<int, bool> deliver);

    [Fact]
    public void SamplingTheTargetAndAcceptingEqualDraftsKeepsTheTargetDistribution()
    {
        var (chiSquare, drafted, accepted) = ChiSquare(VerifyRunRule, seed: 18);

        Assert.True(chiSquare < Critical, $"chi-square {chiSquare:F1} ≥ {Critical}");
        // Answers made partly of accepted drafts, else the test would hold only plain sampling to the chain.
        Assert.True(accepted > Trials / 2, $"only {accepted} of {drafted} drafts accepted: the test exercised little");
    }

    [Fact]
    public void AlwaysAcceptingTheDraftsFailsTheSameTest() =>
        AssertRejected((drafts, sampleAt, deliver) =>
        {
            for (var i = 0; i < drafts.Length; i++)
            {
                if (!deliver(drafts[i]))
                {
                    return new VerifyOutcome(drafts.Length, i, drafts[i], false);
                }
            }

            var last = sampleAt(drafts.Length);
            return new VerifyOutcome(drafts.Length, drafts.Length, last, deliver(last));
        });

    [Fact]
    public void SamplingEveryPositionWithoutStoppingAtAMismatchFailsTheSameTest() =>
        AssertRejected((drafts, sampleAt, deliver) =>
        {
            for (var i = 0; ; i++)
            {
                var token = sampleAt(i);
                var continues = deliver(token);
                if (!continues || i == drafts.Length)
                {
                    return new VerifyOutcome(drafts.Length, i, token, continues);
                }
            }
        });

    [Fact]
    public void SamplingAgainAfterARejectedDraftFailsTheSameTest() =>
        AssertRejected((drafts, sampleAt, deliver) =>
        {
            for (var i = 0; ; i++)
            {
                var token = sampleAt(i);
                var rejected = i < drafts.Length && token != drafts[i];
                if (rejected)
                {
                    token = sampleAt(i); // Wrong: the rejected draft's probability moves to every token.
                }

                var continues = deliver(token);
                if (!continues || i == drafts.Length || rejected)
                {
                    return new VerifyOutcome(drafts.Length, i, token, continues);
                }
            }
        });

    private static VerifyOutcome VerifyRunRule(int[] drafts, Func<int, int> sampleAt, Func<int, bool> deliver)
    {
        var position = 0;
        return VerifyRun.Run(drafts, () =>
        {
            var token = sampleAt(position++);
            return new DeliveredToken(token, deliver(token));
        });
    }

    private static void AssertRejected(Rule wrong)
    {
        var (chiSquare, _, _) = ChiSquare(wrong, seed: 18);
        Assert.True(chiSquare > Critical, $"a wrong rule passed: chi-square {chiSquare:F1}");
    }

    /// <summary>Answers <see cref="Trials"/> times with the rule; the chi-square of the answers against the chain.</summary>
    private static (double ChiSquare, long Drafted, long Accepted) ChiSquare(Rule rule, int seed)
    {
        var random = new Random(seed);
        var counts = new long[Cells];
        long drafted = 0, accepted = 0;
        var answer = new List<int>(AnswerLength);
        for (var trial = 0; trial < Trials; trial++)
        {
            answer.Clear();
            var pending = 0; // The prompt's last token.
            while (answer.Count < AnswerLength)
            {
                var drafts = Guess(pending, random);
                var decoded = drafts.Prepend(pending).ToArray(); // What the verify batch holds: pending, d1..dk.
                var outcome = rule(
                    drafts,
                    position => Sample(Next[decoded[position]], random),
                    token =>
                    {
                        answer.Add(token);
                        return answer.Count < AnswerLength;
                    });
                drafted += outcome.Proposed;
                accepted += outcome.Accepted;
                pending = outcome.LastToken;
            }

            counts[Index(answer)]++;
        }

        var chiSquare = 0.0;
        for (var cell = 0; cell < Cells; cell++)
        {
            var expected = Trials * Probability(cell);
            chiSquare += (counts[cell] - expected) * (counts[cell] - expected) / expected;
        }

        return (chiSquare, drafted, accepted);
    }

    private static int Cells => (int)Math.Pow(Vocabulary, AnswerLength);

    /// <summary>0-3 drafts, each the likeliest next token of the one before (a good guess) or a random one.</summary>
    private static int[] Guess(int pending, Random random)
    {
        var drafts = new int[random.Next(0, 4)];
        var previous = pending;
        for (var i = 0; i < drafts.Length; i++)
        {
            drafts[i] = random.NextDouble() < 0.6 ? Array.IndexOf(Next[previous], Next[previous].Max()) : random.Next(Vocabulary);
            previous = drafts[i];
        }

        return drafts;
    }

    private static int Sample(double[] probabilities, Random random)
    {
        var u = random.NextDouble();
        for (var token = 0; token < probabilities.Length - 1; token++)
        {
            u -= probabilities[token];
            if (u < 0)
            {
                return token;
            }
        }

        return probabilities.Length - 1;
    }

    private static int Index(List<int> answer) => answer.Aggregate(0, (index, token) => (index * Vocabulary) + token);

    /// <summary>The chain's probability of the answer with this index, starting after token 0.</summary>
    private static double Probability(int cell)
    {
        var tokens = new int[AnswerLength];
        for (var i = AnswerLength - 1; i >= 0; i--)
        {
            tokens[i] = cell % Vocabulary;
            cell /= Vocabulary;
        }

        var probability = 1.0;
        var previous = 0;
        foreach (var token in tokens)
        {
            probability *= Next[previous][token];
            previous = token;
        }

        return probability;
    }
}
