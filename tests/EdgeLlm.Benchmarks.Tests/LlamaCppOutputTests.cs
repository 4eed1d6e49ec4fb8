using EdgeLlm.Benchmarks.Cpu;
using EdgeLlm.Benchmarks.LlamaCpp;
using Xunit;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The benchmark reads llama.cpp's tools by their machine-readable output: these pin what it takes from each.</summary>
public sealed class LlamaCppOutputTests
{
    [Fact]
    public void LlamaBenchJsonGivesEachTestsPromptGeneratedAndMeanRate()
    {
        const string json = """
            [
              { "n_threads": 2, "type_k": "f16", "n_prompt": 512, "n_gen": 0, "avg_ts": 410.878000, "samples_ts": [ 410.878 ] },
              { "n_threads": 2, "type_k": "f16", "n_prompt": 0, "n_gen": 16, "avg_ts": 10709.318312, "samples_ts": [ 10709.3 ] }
            ]
            """;

        var tests = LlamaCppTools.ParseLlamaBench(json);

        Assert.Equal([new LlamaBenchTest(512, 0, 410.878), new LlamaBenchTest(0, 16, 10709.318312)], tests);
    }

    [Fact]
    public void BatchedBenchJsonLinesGiveTheGenerationRateBySequencesAndSkipTheLog()
    {
        const string output = """
            llama_batched_bench: n_kv_max = 2048, n_batch = 2048
            {"n_kv_max": 2048, "pp": 32, "tg": 16, "pl": 1, "n_kv": 48, "speed_pp": 695.1, "speed_tg": 504.143433, "speed": 617.1}
            {"n_kv_max": 2048, "pp": 32, "tg": 16, "pl": 8, "n_kv": 384, "speed_pp": 1847.6, "speed_tg": 25.89, "speed": 75.5}

            """;

        var rates = LlamaCppTools.ParseBatchedBench(output);

        Assert.Equal(new Dictionary<int, double> { [1] = 504.143433, [8] = 25.89 }, rates);
    }

    [Fact]
    public void ARepeatedSequenceCountKeepsItsFirstRow()
    {
        const string output = """
            {"n_kv_max": 2048, "pl": 1, "speed_tg": 500.5}
            {"n_kv_max": 2048, "pl": 8, "speed_tg": 25.89}
            {"n_kv_max": 2048, "pl": 1, "speed_tg": 480.0}
            """;

        var rates = LlamaCppTools.ParseBatchedBench(output);

        Assert.Equal(new Dictionary<int, double> { [1] = 500.5, [8] = 25.89 }, rates);
    }

    [Fact]
    public void AServerEventCarriesTheTokensGeneratedSoFarAndWhetherItIsTheLast()
    {
        var partial = LlamaServerEvents.Parse("""data: {"index":0,"content":" Lily","tokens":[],"stop":false,"id_slot":0,"tokens_predicted":3,"tokens_evaluated":17}""");
        var last = LlamaServerEvents.Parse("""data: {"content":"","stop":true,"tokens_predicted":16,"timings":{"predicted_per_second":40.1}}""");

        Assert.Equal(new LlamaServerEvent(3, false), partial);
        Assert.Equal(new LlamaServerEvent(16, true, 40.1), last);
        Assert.Null(LlamaServerEvents.Parse(""));
        Assert.Null(LlamaServerEvents.Parse(": keep-alive"));
    }

    [Fact]
    public void AServerErrorEventStopsTheMeasurement()
    {
        var error = Assert.Throws<InvalidDataException>(() => LlamaServerEvents.Parse("""data: {"error":{"code":500,"message":"context full"}}"""));

        Assert.Contains("context full", error.Message);
    }

    [Fact]
    public void TheServerDecodeRateCountsTokensAfterTheFirstEventEvenWhenSomeTokensSentNoEvent()
    {
        // Token 3 ended inside a UTF-8 character: no event of its own, the next event counts it.
        var events = new List<(double, LlamaServerEvent)>
        {
            (10.0, new LlamaServerEvent(1, false)),
            (10.1, new LlamaServerEvent(2, false)),
            (10.3, new LlamaServerEvent(4, false)),
            (10.5, new LlamaServerEvent(6, false)),
            (10.6, new LlamaServerEvent(6, true)),
        };

        var rate = LlamaServerEvents.DecodeRate(events);

        Assert.NotNull(rate);
        Assert.Equal(10.0, rate.Value, 6); // 5 tokens after the first in 0.5 s; the final event's time does not count.
    }

    [Fact]
    public void AServerStreamWithOneTokenHasNoDecodeRate()
    {
        Assert.Null(LlamaServerEvents.DecodeRate([(1.0, new LlamaServerEvent(1, false)), (1.2, new LlamaServerEvent(1, true))]));
    }

    [Fact]
    public void TheLeanChildsResultsSurviveTheTripThroughItsOutputAmidLlamaCppsLog()
    {
        var sent = new LeanRunResult(
            [new LeanResult("1 seq, split KV, 2048/512", 12.5, 70.1, 0.01, 0.002, 0.03, 17, 350.2, 48.3)],
            ["/natives/libggml-cpu-zen4.so"]);

        var received = LeanChild.Parse("load_backend: loaded CPU backend\n" + LeanChild.Format(sent) + "\nllama_perf: done\n");

        Assert.Equal(sent.Libraries, received.Libraries);
        Assert.Equal(sent.Results, received.Results);
    }

    [Fact]
    public void ALeanChildThatPrintedNoResultsIsAnError()
    {
        Assert.Throws<InvalidDataException>(() => LeanChild.Parse("llama_model_load: error loading model\n"));
    }
}
