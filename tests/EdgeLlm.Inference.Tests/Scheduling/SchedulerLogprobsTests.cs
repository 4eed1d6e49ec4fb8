using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

/// <summary>Log-probabilities travel with the text they belong to: one entry per counted token, in order, none unasked.</summary>
public sealed class SchedulerLogprobsTests
{
    [Fact]
    public async Task EveryCountedTokenCarriesItsLogprobAndTheAskedAlternatives()
    {
        await using var scheduler = Create(new FakeEngine());

        var deltas = await DeltasAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 4) with { TopLogprobs = 2 }));

        var logprobs = deltas.SelectMany(d => d.Logprobs ?? []).ToList();
        Assert.Equal(["d", "e", "f", "g"], logprobs.Select(l => l.Token));
        Assert.Equal([3, 4, 5, 6], logprobs.Select(l => l.Bytes[0] - 'a'));
        Assert.Equal(new[] { 3, 4, 5, 6 }.Select(FakeEngine.LogprobOf), logprobs.Select(l => l.Logprob));
        Assert.All(logprobs, l => Assert.Equal(2, l.TopLogprobs.Count));
        Assert.Equal(["g", "h"], logprobs[^1].TopLogprobs.Select(t => t.Token));
    }

    [Fact]
    public async Task ARequestWithoutLogprobsGetsNone()
    {
        await using var scheduler = Create(new FakeEngine());

        var deltas = await DeltasAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 4)));

        Assert.Equal("defg", string.Concat(deltas.Select(d => d.Text)));
        Assert.All(deltas, d => Assert.Null(d.Logprobs));
    }

    [Fact]
    public async Task LogprobsOfTextHeldBackForAStopSequenceAreSentWithTheTextOrAtTheEnd()
    {
        await using var scheduler = Create(new FakeEngine());

        // Tokens 3.. render d, e, f, ...; "ex" can start after e, so e is held back a token.
        var deltas = await DeltasAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 3, stop: "ex") with { TopLogprobs = 0 }));

        Assert.Equal("def", string.Concat(deltas.Select(d => d.Text)));
        Assert.Equal(["d", "e", "f"], deltas.SelectMany(d => d.Logprobs ?? []).Select(l => l.Token));
        Assert.All(deltas.SelectMany(d => d.Logprobs ?? []), l => Assert.Empty(l.TopLogprobs));
    }

    private static async Task<List<TextDelta>> DeltasAsync(GenerationStream stream)
    {
        var deltas = new List<TextDelta>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var item in stream.ReadAllAsync(timeout.Token))
        {
            if (item is TextDelta delta)
            {
                deltas.Add(delta);
            }
        }

        return deltas;
    }
}
