using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// The four measures, each a ratio of two figures taken round by round on one daemon, in alternating order (a slow spell
/// of the machine lands on both sides), the median of the per-round ratios counting. <see cref="On"/>,
/// <see cref="LookupOff"/> and <see cref="Off"/> are entries of the daemon on the same file: the features' defaults,
/// prefix reuse without prompt lookup, and both features off. B and C weigh prompt lookup alone (on ÷ lookup-off, the
/// same kept prefixes on both sides); C is also given against both off, where what reuse keeps costs a stream that
/// reuses none of it.
/// </summary>
internal sealed class ReuseMeasures(ReuseClient client, HttpClient http, ModelVocabulary vocabulary, ReuseSettings settings)
{
    public const string On = "on";
    public const string Off = "off";
    public const string LookupOff = "lookup-off";

    /// <summary>Completion tokens of B's and C's single streams.</summary>
    public const int DecodeTokens = 128;

    /// <summary>max_tokens of each of D's eight streams.</summary>
    public const int StreamTokens = 64;

    private const uint SamplingSeed = 18;
    private const int ManualSeed = 18;
    private const int SharedManualSeed = 7;

    /// <summary>A. Time to first token of a prompt behind a warm system prompt ÷ the same shape with nothing to reuse, on <see cref="On"/>.</summary>
    public async Task<ReuseRow> WarmSystemPromptAsync(CancellationToken cancellationToken)
    {
        var system = PromptText.Manual(vocabulary, settings.SystemTokens, ManualSeed);
        Console.WriteLine($"A: system prompt of {vocabulary.Count(system)} tokens; priming it on '{On}' ...");
        var before = await ReuseCounters.ReadAsync(http, On, cancellationToken);
        var primed = await client.CompleteAsync(On, $"{system}\n{PromptText.Question(-1)}", 1, ReuseSampling.Greedy, cancellationToken);
        Console.WriteLine($"A: primed in {BenchmarkReport.F(primed.Timing.TimeToFirstToken.TotalSeconds, 2)} s ({primed.PromptTokens} prompt tokens by the daemon)");

        var rounds = new List<(ReuseAnswer Cold, ReuseAnswer Warm)>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            // The same question on both sides; the cold prompt's first line is new, so nothing kept matches its start.
            var question = PromptText.Question(round);
            var pair = await PairAsync(
                () => client.CompleteAsync(On, $"{PromptText.Nonce()}\n{system}\n{question}", 1, ReuseSampling.Greedy, cancellationToken),
                () => client.CompleteAsync(On, $"{system}\n{question}", 1, ReuseSampling.Greedy, cancellationToken),
                measuredFirst: round % 2 == 1);
            rounds.Add(pair);
            Console.WriteLine($"A round {round + 1}: cold {Describe(pair.Baseline)}, warm {Describe(pair.Measured)}");
        }

        var counters = (await ReuseCounters.ReadAsync(http, On, cancellationToken)).Since(before);
        return new ReuseRow(
            $"A. TTFT, warm {settings.SystemTokens}-token system prompt ÷ cold (on, max_tokens 1)",
            ReuseReport.Seconds(rounds.Select(r => r.Cold.Timing.TimeToFirstToken.TotalSeconds)),
            ReuseReport.Seconds(rounds.Select(r => r.Warm.Timing.TimeToFirstToken.TotalSeconds)),
            Percentiles.Median([.. rounds.Select(r => r.Warm.Timing.TimeToFirstToken / r.Cold.Timing.TimeToFirstToken)]),
            0.25,
            AtMost: true,
            $"prompt tokens cold {rounds[^1].Cold.PromptTokens}, warm {rounds[^1].Warm.PromptTokens}; cached_tokens cold {Cached(rounds.Select(r => r.Cold))}, "
            + $"warm {Cached(rounds.Select(r => r.Warm))}; prefix-cache hit tokens {ReuseReport.Count(counters.HitTokens)} (priming and every round)");
    }

    /// <summary>B. Decode rate of a greedy answer that restates its context, <see cref="On"/> ÷ <see cref="LookupOff"/>.</summary>
    public async Task<ReuseRow> GroundedAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"B: calibrating: the model's greedy {GroundedWorkload.ContinuationTokens}-token continuation of the seed text on '{Off}' ...");
        var workload = await GroundedWorkload.CalibrateAsync(client, Off, cancellationToken);
        Console.WriteLine($"B: prompt of {vocabulary.Count(workload.Prompt)} tokens; continuation begins \"{Excerpt(workload.Continuation)}\"");

        var rounds = new List<(ReuseAnswer Off, ReuseAnswer On, ReuseCounters Counters)>();
        for (var round = 0; round < settings.DecodeRounds; round++)
        {
            var before = await ReuseCounters.ReadAsync(http, On, cancellationToken);
            var pair = await PairAsync(
                () => client.CompleteAsync(LookupOff, workload.Prompt, DecodeTokens, ReuseSampling.Greedy, cancellationToken),
                () => client.CompleteAsync(On, workload.Prompt, DecodeTokens, ReuseSampling.Greedy, cancellationToken),
                measuredFirst: round % 2 == 1);
            var counters = (await ReuseCounters.ReadAsync(http, On, cancellationToken)).Since(before);
            rounds.Add((pair.Baseline, pair.Measured, counters));
            Console.WriteLine($"B round {round + 1}: lookup-off {DescribeRate(pair.Baseline)}, on {DescribeRate(pair.Measured)}; drafts accepted {ReuseReport.Count(counters.Accepted)} of {ReuseReport.Count(counters.Proposed)}");
        }

        var analysis = workload.Analyse(vocabulary, rounds[0].Off.Text);
        var same = rounds.Count(r => r.On.Text == r.Off.Text);
        var loops = analysis.Loops
            ? $" (the model loops: its continuation holds {analysis.DistinctContinuationTokens} different tokens of {analysis.ContinuationTokens}, so answers copy their own loop; see --model stories)"
            : $" ({analysis.DistinctContinuationTokens} different tokens of {analysis.ContinuationTokens} in the continuation)";
        return new ReuseRow(
            $"B. grounded single stream, decode rate on ÷ lookup-off (greedy, {DecodeTokens} tokens)",
            ReuseReport.Rate(rounds.Select(r => r.Off.Timing.DecodeRate)),
            ReuseReport.Rate(rounds.Select(r => r.On.Timing.DecodeRate)),
            Percentiles.Median([.. rounds.Select(r => r.On.Timing.DecodeRate / r.Off.Timing.DecodeRate)]),
            1.3,
            AtMost: false,
            $"answer (off, {analysis.AnswerTokens} tokens re-tokenised): a lookup drafter would guess {BenchmarkReport.F(100 * analysis.LookupShare, 1)} %, "
            + $"it restates the context's continuation for its first {BenchmarkReport.F(100 * analysis.RestatedShare, 1)} %{loops}; {Speculation(rounds.Select(r => (r.On, r.Counters)))}; "
            + $"same text on and off in {same} of {rounds.Count} rounds");
    }

    /// <summary>C. Decode rate where drafts are nearly always wrong (random sampling on random weights), <see cref="On"/> ÷ <see cref="LookupOff"/>.</summary>
    public Task<ReuseRow> NothingToCopyAsync(CancellationToken cancellationToken) => NothingToCopyAsync(LookupOff, "C", cancellationToken);

    /// <summary>C'. The same, <see cref="On"/> ÷ <see cref="Off"/>: prompt lookup and what reuse keeps, against neither.</summary>
    public Task<ReuseRow> NothingToCopyBesideKeptPrefixesAsync(CancellationToken cancellationToken) => NothingToCopyAsync(Off, "C'", cancellationToken);

    private async Task<ReuseRow> NothingToCopyAsync(string baseline, string label, CancellationToken cancellationToken)
    {
        var sampling = new ReuseSampling(1.0f, 0, SamplingSeed);
        var rounds = new List<(ReuseAnswer Off, ReuseAnswer On, ReuseCounters Counters)>();
        for (var round = 0; round < settings.DecodeRounds; round++)
        {
            var before = await ReuseCounters.ReadAsync(http, On, cancellationToken);
            var pair = await PairAsync(
                () => client.CompleteAsync(baseline, BenchmarkPrompts.Decode, DecodeTokens, sampling, cancellationToken),
                () => client.CompleteAsync(On, BenchmarkPrompts.Decode, DecodeTokens, sampling, cancellationToken),
                measuredFirst: round % 2 == 1);
            var counters = (await ReuseCounters.ReadAsync(http, On, cancellationToken)).Since(before);
            rounds.Add((pair.Baseline, pair.Measured, counters));
            Console.WriteLine($"{label} round {round + 1}: {baseline} {DescribeRate(pair.Baseline)}, on {DescribeRate(pair.Measured)}; drafts accepted {ReuseReport.Count(counters.Accepted)} of {ReuseReport.Count(counters.Proposed)}");
        }

        return new ReuseRow(
            $"{label}. nothing to copy, decode rate on ÷ {baseline} (temperature 1, top_k 0, seed {SamplingSeed}, {DecodeTokens} tokens)",
            ReuseReport.Rate(rounds.Select(r => r.Off.Timing.DecodeRate)),
            ReuseReport.Rate(rounds.Select(r => r.On.Timing.DecodeRate)),
            Percentiles.Median([.. rounds.Select(r => r.On.Timing.DecodeRate / r.Off.Timing.DecodeRate)]),
            0.97,
            AtMost: false,
            Speculation(rounds.Select(r => (r.On, r.Counters))));
    }

    /// <summary>D. Aggregate rate of eight streams behind a shared system prompt, <see cref="On"/> ÷ <see cref="Off"/>.</summary>
    public async Task<ReuseRow> StreamsAsync(CancellationToken cancellationToken)
    {
        var shared = PromptText.Manual(vocabulary, ReuseSettings.SharedSystemTokens, SharedManualSeed);
        var prompts = BenchmarkPrompts.Streams.Select(p => $"{shared}\n\n{p}").ToList();
        Console.WriteLine($"D: {prompts.Count} streams behind a shared system prompt of {vocabulary.Count(shared)} tokens; warming up both entries ...");

        // Warm-up: the batched graphs of both entries, and on 'on' the shared system prompt kept, as in steady use.
        await client.LoadAsync(Off, prompts, 4, cancellationToken);
        await client.LoadAsync(On, prompts, 4, cancellationToken);

        var before = await ReuseCounters.ReadAsync(http, On, cancellationToken);
        var rounds = new List<(ReuseLoad Off, ReuseLoad On)>();
        for (var round = 0; round < settings.DecodeRounds; round++)
        {
            var pair = await PairAsync(
                () => client.LoadAsync(Off, prompts, StreamTokens, cancellationToken),
                () => client.LoadAsync(On, prompts, StreamTokens, cancellationToken),
                measuredFirst: round % 2 == 1);
            rounds.Add(pair);
            Console.WriteLine($"D round {round + 1}: off {DescribeLoad(pair.Baseline)}, on {DescribeLoad(pair.Measured)}");
        }

        var counters = (await ReuseCounters.ReadAsync(http, On, cancellationToken)).Since(before);
        return new ReuseRow(
            $"D. {prompts.Count} streams, aggregate rate on ÷ off (greedy, {StreamTokens} max_tokens each)",
            ReuseReport.Rate(rounds.Select(r => r.Off.Load.TokensPerSecond)),
            ReuseReport.Rate(rounds.Select(r => r.On.Load.TokensPerSecond)),
            Percentiles.Median([.. rounds.Select(r => r.On.Load.TokensPerSecond / r.Off.Load.TokensPerSecond)]),
            0.98,
            AtMost: false,
            $"the span holds the prompts' prefill, which 'on' mostly reuses; {DecodePhase(rounds)}; "
            + $"prefix-cache hit tokens on 'on' {ReuseReport.Count(counters.HitTokens)} over {rounds.Count * prompts.Count} requests; "
            + $"drafts proposed {ReuseReport.Count(counters.Proposed)} (none expected above Inference:SpeculationMaxStreams)");
    }

    private static async Task<(T Baseline, T Measured)> PairAsync<T>(Func<Task<T>> baseline, Func<Task<T>> measured, bool measuredFirst)
    {
        if (measuredFirst)
        {
            var m = await measured();
            return (await baseline(), m);
        }

        var b = await baseline();
        return (b, await measured());
    }

    private static string Speculation(IEnumerable<(ReuseAnswer Answer, ReuseCounters Counters)> rounds)
    {
        var list = rounds.ToList();
        double? accepted = list.All(r => r.Counters.Accepted is not null) ? list.Sum(r => r.Counters.Accepted!.Value) : null;
        double? proposed = list.All(r => r.Counters.Proposed is not null) ? list.Sum(r => r.Counters.Proposed!.Value) : null;
        var tokens = list.Sum(r => r.Answer.Timing.CompletionTokens);
        return $"drafts on 'on': {ReuseReport.Count(accepted)} accepted of {ReuseReport.Count(proposed)} proposed ({ReuseReport.Share(accepted, proposed)}), "
            + $"accepted tokens {ReuseReport.Share(accepted, tokens)} of the {tokens} answer tokens, "
            + $"{BenchmarkReport.F(Percentiles.Median([.. list.Select(r => r.Answer.TokensPerStep)]), 2)} tokens per decode step as the client saw them (median)";
    }

    private static string Cached(IEnumerable<ReuseAnswer> answers) =>
        string.Join('/', answers.Select(a => a.CachedTokens is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n/a"));

    private static string Describe(ReuseAnswer answer) =>
        $"{BenchmarkReport.F(answer.Timing.TimeToFirstToken.TotalSeconds, 3)} s ({answer.PromptTokens} prompt tokens, cached {answer.CachedTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"})";

    private static string DescribeRate(ReuseAnswer answer) =>
        $"{BenchmarkReport.F(answer.Timing.DecodeRate, 2)} tok/s ({answer.Timing.CompletionTokens} tokens, {BenchmarkReport.F(answer.TokensPerStep, 2)} per step)";

    private static string DescribeLoad(ReuseLoad load) =>
        $"{BenchmarkReport.F(load.Load.TokensPerSecond, 2)} tok/s ({load.Load.CompletionTokens} tokens in {BenchmarkReport.F(load.Load.Span.TotalSeconds, 2)} s; "
        + $"all decoding: {(load.DecodePhaseRate is { } r ? BenchmarkReport.F(r, 2) + " tok/s" : "n/a")})";

    // Decode alone, no prefill: the rate while every stream was decoding, on ÷ off (not judged; it shows what the kept cells cost).
    private static string DecodePhase(List<(ReuseLoad Off, ReuseLoad On)> rounds)
    {
        var both = rounds.Where(r => r.Off.DecodePhaseRate is not null && r.On.DecodePhaseRate is not null).ToList();
        return both.Count == 0
            ? "decode phase (all streams decoding): n/a"
            : $"decode phase (all streams decoding): off {ReuseReport.Rate(both.Select(r => r.Off.DecodePhaseRate!.Value))}, on {ReuseReport.Rate(both.Select(r => r.On.DecodePhaseRate!.Value))}, "
                + $"ratio {BenchmarkReport.F(Percentiles.Median([.. both.Select(r => r.On.DecodePhaseRate!.Value / r.Off.DecodePhaseRate!.Value)]), 2)} (median of {both.Count} rounds)";
    }

    private static string Excerpt(string text) => (text.Length <= 60 ? text : text[..60] + "…").ReplaceLineEndings(" ");
}
