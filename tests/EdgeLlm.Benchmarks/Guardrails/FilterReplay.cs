using System.Diagnostics;
using EdgeLlm.Benchmarks.Reporting;
using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Enforcement;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// What the request path's output screen costs per token, replaying one answer's token texts through a fresh screen per
/// repetition (one answer, one screen, as the API uses it) for a fixed time on one thread.
/// </summary>
/// <param name="Tokens">Token texts per answer.</param>
/// <param name="Repetitions">Answers replayed.</param>
/// <param name="PushMicroseconds">Every timed <c>Push</c>, over all repetitions.</param>
/// <param name="MeanMicroseconds">Wall time of all pushes and completions, per token.</param>
/// <param name="CpuMeanMicroseconds">The process's CPU time over the replay, per token: the figure a busy shared CPU does not inflate.</param>
/// <param name="Redacted">Placeholders in one screened answer (a check that the screen did find the entities).</param>
internal sealed partial record FilterReplay(
    int Tokens,
    int Repetitions,
    IReadOnlyList<double> PushMicroseconds,
    double MeanMicroseconds,
    double CpuMeanMicroseconds,
    int Redacted)
{
    private const int MinimumRepetitions = 20;

    public double Median => Percentiles.Median(PushMicroseconds.ToArray());

    public double P95 => Percentiles.Of(PushMicroseconds.ToArray(), 95);

    public static FilterReplay Run(Func<OutputScreen> screens, IReadOnlyList<string> tokens, TimeSpan duration)
    {
        // One warm-up answer: JIT, the detectors' regexes, libphonenumber's metadata.
        var redacted = Replay(screens, tokens, pushTicks: null);

        var pushTicks = new List<long>(tokens.Count * 64);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var repetitions = 0;
        long totalTicks = 0;
        while (repetitions < MinimumRepetitions || Stopwatch.GetElapsedTime(started) < duration)
        {
            var before = Stopwatch.GetTimestamp();
            Replay(screens, tokens, pushTicks);
            totalTicks += Stopwatch.GetTimestamp() - before;
            repetitions++;
        }

        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var perTick = 1e6 / Stopwatch.Frequency;
        var pushed = (double)tokens.Count * repetitions;
        return new FilterReplay(
            tokens.Count,
            repetitions,
            pushTicks.Select(t => t * perTick).ToArray(),
            totalTicks * perTick / pushed,
            cpu.TotalMicroseconds / pushed,
            redacted);
    }

    /// <summary>One answer through a fresh screen; each push's time goes to <paramref name="pushTicks"/>. Returns the placeholders sent.</summary>
    private static int Replay(Func<OutputScreen> screens, IReadOnlyList<string> tokens, List<long>? pushTicks)
    {
        var screen = screens();
        var sent = new System.Text.StringBuilder();
        foreach (var token in tokens)
        {
            var before = Stopwatch.GetTimestamp();
            var outcome = screen.Push(token);
            pushTicks?.Add(Stopwatch.GetTimestamp() - before);
            sent.Append(outcome.Text);
        }

        sent.Append(screen.Complete().Text);
        return pushTicks is null ? Placeholder().Count(sent.ToString()) : 0;
    }

    [GeneratedRegex(@"\[[A-Z0-9_]+_[0-9]+\]")]
    private static partial Regex Placeholder();
}
