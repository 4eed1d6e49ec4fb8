using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.PrefixReuse;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using LLama.Native;
using static EdgeLlm.Inference.Tests.PrefixReuse.RealModelRuns;

namespace EdgeLlm.Inference.Tests.PrefixReuse;

/// <summary>What prefix reuse and speculation leave in a real llama.cpp context, read back through llama.cpp itself.</summary>
public sealed class KvCellsOnRealModelTests
{
    [Fact]
    public async Task TenThousandRequestsWithCancellationsLeaveOnlyTheKeptPrefixesInTheContext()
    {
        await using var model = Load(TestModels.Stories260K, reuse: true, contextSize: 128, sequences: 4, configure: o => o.PrefixCacheEntries = 4);
        var starts = new[] { "Once upon a time, there was a little girl named Lily.", "Tom had a big red ball. He liked to play.", "The sun was hot and the sky was blue." }
            .Select(s => model.Tokenizer.Tokenize(s, false)).ToArray();
        var words = model.Tokenizer.Tokenize(" dog cat ball tree park happy sad run jump play mom dad friend", false)[1..];
        var cancelledMidPrompt = 0;
        var cancelledMidAnswer = 0;
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(18 + worker);
            for (var request = 0; request < 2_500; request++)
            {
                var prompt = starts[random.Next(starts.Length)].Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => words[random.Next(words.Length)])).ToArray();
                var fate = random.Next(10);
                using var cancel = new CancellationTokenSource();
                if (fate == 0)
                {
                    cancel.Cancel();
                    Interlocked.Increment(ref cancelledMidPrompt);
                }

                var admitted = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(new GenerationRequest(prompt, SamplingParameters.Greedy, random.Next(1, 24), []), cancel.Token));
                using var stream = admitted.Stream;
                await foreach (var item in stream.ReadAllAsync(CancellationToken.None))
                {
                    if (item is TextDelta && fate == 1 && !cancel.IsCancellationRequested)
                    {
                        cancel.Cancel();
                        Interlocked.Increment(ref cancelledMidAnswer);
                    }
                }
            }
        }));
        await Task.WhenAll(workers);

        await WaitIdleAsync(model);
        var engine = (LlamaEngine)model.Scheduler.Engine;
        var kept = engine.Cache.Kept;
        Assert.NotEmpty(kept);
        Assert.Equal(0, engine.Cache.ReservedCells);
        for (var id = 0; id < 4 + 4; id++)
        {
            var length = kept.FirstOrDefault(k => k.Id == id).Length;
            var range = Range(engine, id);
            Assert.True(length > 0 ? range == (0, length - 1) : range == (-1, -1), $"sequence {id} holds positions {range}, kept {length}");
        }

        Assert.True(
            model.Scheduler.Speculation.AcceptedTokens > 0 && model.Scheduler.PrefixCache.HitTokens > 50_000,
            $"{model.Scheduler.Speculation.AcceptedTokens} drafts accepted, {model.Scheduler.PrefixCache.HitTokens} prompt tokens reused");
        Assert.True(cancelledMidPrompt > 100 && cancelledMidAnswer > 100);
        engine.Cache.EvictAll(PrefixEviction.NoSlot);
        Assert.All(Enumerable.Range(0, 8), id => Assert.Equal((-1, -1), Range(engine, id)));
    }

    [Fact]
    public async Task ARequestWhoseKeptPrefixMustGiveWayForItsCellsAnswersAsIfCold()
    {
        // One sequence of 256 cells: a kept 150-token history and a 190-token prompt with 60 to answer cannot both be counted.
        await using var on = Load(TestModels.Stories260K, reuse: true, speculation: false, contextSize: 256, sequences: 1);
        await using var off = Load(TestModels.Stories260K, reuse: false, contextSize: 256, sequences: 1);
        var history = Story(on, 150);
        var prompt = Story(on, 190);
        Assert.Equal(history, prompt[..150]);

        await GenerateAsync(on, history, 1);
        var warm = await GenerateAsync(on, prompt, 60);
        var cold = await GenerateAsync(off, prompt, 60);

        Assert.Equal(150, warm.Usage.CachedPromptTokens);
        Assert.Equal(cold.Text, warm.Text);
        Assert.Equal(1, on.Scheduler.PrefixCache.Evictions(PrefixEviction.Cells));
    }

    [Fact]
    public async Task APromptFillingTheContextAndEqualToAKeptHistoryDecodesItsLastTokenForItsOneAnswerToken()
    {
        await using var on = Load(TestModels.Stories260K, reuse: true, contextSize: 256, sequences: 1);
        var prompt = Story(on, 255);

        var first = await GenerateAsync(on, prompt, 1);
        var second = await GenerateAsync(on, prompt, 1);

        Assert.Equal((0, 254), (first.Usage.CachedPromptTokens, second.Usage.CachedPromptTokens));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, second.Usage.CompletionTokens);
    }

    [Fact]
    public async Task TwoModelsKeepTheirOwnPrefixesSideBySide()
    {
        await using var stories = Load(TestModels.Stories260K, reuse: true);
        await using var random = Load(TestModels.TinyRandomLlama2, reuse: true);
        var storiesPrompt = Story(stories, 120);
        var randomPrompt = Story(random, 120);

        var cold = await Task.WhenAll(GenerateAsync(stories, storiesPrompt, 20), GenerateAsync(random, randomPrompt, 20));
        var warm = await Task.WhenAll(GenerateAsync(stories, storiesPrompt, 20), GenerateAsync(random, randomPrompt, 20));

        Assert.Equal([119, 119], warm.Select(w => w.Usage.CachedPromptTokens));
        Assert.Equal(cold.Select(c => c.Text), warm.Select(w => w.Text));
    }

    [Fact]
    public async Task BothTestModelsMemoriesCanBeCutBack()
    {
        Assert.True(KvReuseSupport.Of(null!, new LLama.Common.ModelParams("x") { Embeddings = true }) is { Supported: false, Reason: "an embedding context" });
        foreach (var path in new[] { TestModels.Stories260K, TestModels.TinyRandomLlama2 })
        {
            await using var model = Load(path, reuse: true);
            Assert.True(((LlamaEngine)model.Scheduler.Engine).Support.Supported, path);
        }
    }

    /// <summary>A story's first <paramref name="count"/> tokens: the same text for every length, so a shorter one is the start of a longer one.</summary>
    private static int[] Story(LoadedModel model, int count)
    {
        var text = string.Concat(Enumerable.Repeat("Once upon a time, there was a little girl named Lily. She loved to play with her ball in the park. ", 30));
        return model.Tokenizer.Tokenize(text, false)[..count];
    }

    private static (int Min, int Max) Range(LlamaEngine engine, int id) =>
        (engine.Handle.MemorySequenceMinPosition((LLamaSeqId)id).Value, engine.Handle.MemorySequenceMaxPosition((LLamaSeqId)id).Value);

    private static async Task WaitIdleAsync(LoadedModel model)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (model.Scheduler.Snapshot is not { Active: 0, Waiting: 0 })
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
