using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

/// <summary>
/// Speculation in the scheduler with the fake engine, whose "model" answers token + 1: a prompt that already holds the
/// run the answer will take lets prompt lookup guess it. Its steps take 2 ms whatever they carry, as on a GPU, so
/// drafts pay for themselves.
/// </summary>
public sealed class SchedulerSpeculationTests
{
    private static readonly SpeculationSettings On = new(MaxDraftTokens: 4, NgramMin: 2, NgramMax: 3, MaxStreams: 2);

    [Fact]
    public async Task DraftsTheModelAgreesWithAreEmittedInFewerStepsAndTheTextIsTheSame()
    {
        // Prompt 0..39 then 10, 11: the answer 12, 13, … is in the prompt.
        var request = Prompted([.. Enumerable.Range(0, 40), 10, 11], maxTokens: 20);

        var (plain, plainSteps, _) = await RunAsync(request, speculation: null);
        var (drafted, draftedSteps, scheduler) = await RunAsync(request, On);

        Assert.Equal(plain.Text, drafted.Text);
        Assert.Equal((FinishReason.Length, 20), (drafted.Finished.Reason, drafted.Finished.Usage.CompletionTokens));
        Assert.True(draftedSteps < plainSteps / 2, $"{draftedSteps} steps with speculation, {plainSteps} without");
        Assert.True(scheduler.AcceptedTokens > 10, $"{scheduler.AcceptedTokens} drafts accepted");
    }

    [Fact]
    public async Task ADraftTheModelRejectsIsRolledBackAndItsCorrectionComesNext()
    {
        // After 5, 6, 7 the prompt goes on with 8, 9, 3 (the run breaks) but the model answers 10 after 9.
        var request = Prompted([5, 6, 7, 8, 9, 3, 4, 50, 60, 5, 6], maxTokens: 12);

        var (plain, _, _) = await RunAsync(request, speculation: null);
        var (drafted, _, scheduler) = await RunAsync(request, On);

        Assert.Equal(plain.Text, drafted.Text);
        Assert.True(scheduler.RolledBack > 0, "no draft was rejected");
        Assert.True(scheduler.AcceptedTokens > 0, "no draft was accepted");
    }

    [Fact]
    public async Task AStopSequenceInsideAVerifiedRunEndsTheAnswerWhereItWouldWithoutDrafts()
    {
        // Tokens 12.. render m, n, o, p, q: "op" stops after "mn".
        var request = Prompted([.. Enumerable.Range(0, 40), 10, 11], maxTokens: 30) with { Stop = ["op"] };

        var (plain, _, _) = await RunAsync(request, speculation: null);
        var (drafted, _, scheduler) = await RunAsync(request, On);

        Assert.Equal(("mn", FinishReason.Stop), (plain.Text, plain.Finished.Reason));
        Assert.Equal((plain.Text, plain.Finished.Reason, plain.Finished.Usage.CompletionTokens), (drafted.Text, drafted.Finished.Reason, drafted.Finished.Usage.CompletionTokens));
        Assert.True(scheduler.RolledBack > 0, "the drafts after the stop were kept");
    }

    [Fact]
    public async Task MoreStreamsThanTheLimitDecodeOneTokenEachPerStep()
    {
        var engine = new FakeEngine { StepTime = TimeSpan.FromMilliseconds(2) };
        await using var scheduler = Create(engine, maxSequences: 3, speculation: On with { MaxStreams = 2 });
        var streams = Enumerable.Range(0, 3).Select(_ => Admit(scheduler, Prompted([.. Enumerable.Range(0, 40), 10, 11], maxTokens: 20))).ToList();

        var results = await Task.WhenAll(streams.Select(ReadAllAsync));

        Assert.All(results, r => Assert.Equal(20, r.Finished.Usage.CompletionTokens));
        Assert.Equal(0, scheduler.Speculation.ProposedTokens);
    }

    private static GenerationRequest Prompted(int[] prompt, int maxTokens) => new(prompt, SamplingParameters.Greedy, maxTokens, []);

    private static async Task<((string Text, GenerationFinished Finished) Result, int Steps, (long AcceptedTokens, int RolledBack) Scheduler)> RunAsync(GenerationRequest request, SpeculationSettings? speculation)
    {
        var engine = new FakeEngine { StepTime = TimeSpan.FromMilliseconds(2) };
        await using var scheduler = Create(engine, speculation: speculation);
        var result = await ReadAllAsync(Admit(scheduler, request));
        return (result, engine.SnapshotBatches().Count, (scheduler.Speculation.AcceptedTokens, engine.RolledBack));
    }
}
