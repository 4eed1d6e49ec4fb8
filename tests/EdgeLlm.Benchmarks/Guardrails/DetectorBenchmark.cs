using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// Detector throughput on the labelled corpus's text (one entity every ~45 characters: far denser than prose or logs,
/// so a pessimistic load), on one thread, so MB/s is per core, in the steady state: each detector alone and the full
/// PII set with overlap resolution, against two same-run baselines over the same text (a vectorised
/// <c>IndexOf('@')</c> scan, and <c>Regex.Count</c> of a trivial compiled pattern). MB is the text's UTF-8 size, 10^6
/// bytes. Both wall-clock and CPU-time rates are shown: on a shared machine the CPU-time rate is the per-core figure.
/// </summary>
internal static class DetectorBenchmark
{
    private const double GoalMegabytesPerSecond = 50;
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(2);

    public static int Run(string[] args)
    {
        var seconds = args is ["--seconds", var value, ..] ? double.Parse(value, CultureInfo.InvariantCulture) : MeasureFor.TotalSeconds;
        var text = string.Join('\n', PiiCorpus.Generate().Select(i => i.Text));
        var megabytes = Encoding.UTF8.GetByteCount(text) / 1e6;
        var set = PiiDetectorSet.Create(new PiiDetectorOptions { CustomPatterns = [PiiCorpus.EmployeeId] });
        var trivial = new Regex("[0-9]+", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        Console.WriteLine($"corpus text: {megabytes:F2} MB, {text.Length} characters; one thread; {seconds:F0} s per measure");
        Console.WriteLine("| measure | MB/s per CPU second | MB/s wall clock | matches per pass |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Report("baseline: IndexOf('@') scan", Measure(text, seconds, CountAtSigns), megabytes);
        Report("baseline: Regex.Count(\"[0-9]+\"), compiled", Measure(text, seconds, t => trivial.Count(t)), megabytes);
        foreach (var detector in set.Detectors)
        {
            Report(detector.Family, Measure(text, seconds, t => detector.Find(t).Count()), megabytes);
        }

        var full = Measure(text, seconds, t => set.Find(t).Count());
        Report("full PII set (8 detectors, overlaps resolved)", full, megabytes);
        var rate = megabytes / full.CpuSecondsPerPass;
        Console.WriteLine($"\nfull set on the corpus: {rate:F1} MB/s per core, goal >= {GoalMegabytesPerSecond} MB/s: {(rate >= GoalMegabytesPerSecond ? "met" : "NOT met")}");

        // The same entities spread through prose, one item per ~2 KB, closer to a prompt or a log than the corpus is.
        var prose = Diluted(PiiCorpus.Generate());
        var proseMegabytes = Encoding.UTF8.GetByteCount(prose) / 1e6;
        var diluted = Measure(prose, seconds, t => set.Find(t).Count());
        Console.WriteLine($"full set on prose with one corpus item per ~2 KB ({proseMegabytes:F2} MB): {proseMegabytes / diluted.CpuSecondsPerPass:F1} MB/s per core, {diluted.Matches} matches per pass");
        return 0;
    }

    private static string Diluted(IReadOnlyList<CorpusItem> items)
    {
        const string Filler = "The quarterly review covered the rollout of the new inference appliance to the regional offices. " +
            "Teams reported that latency stayed within budget and that the model answered most questions about the handbook " +
            "correctly, while a few asked for longer context windows and better handling of scanned documents. ";
        var text = new StringBuilder();
        for (var i = 0; i < items.Count; i += 10)
        {
            text.Append(items[i].Text).Append('\n').Insert(text.Length, Filler, 6);
        }

        return text.ToString();
    }

    private static void Report(string name, Pass result, double megabytes) =>
        Console.WriteLine($"| {name} | {megabytes / result.CpuSecondsPerPass:F1} | {megabytes / result.WallSecondsPerPass:F1} | {result.Matches} |");

    private readonly record struct Pass(double CpuSecondsPerPass, double WallSecondsPerPass, int Matches);

    /// <summary>
    /// Passes over the text until the time is up, once warm: regexes are built on the first pass, and tiered JIT
    /// recompiles a detector's code optimised only after dozens of passes, on a background thread whose CPU time counts
    /// against it (on this loaded machine one warm-up pass measured some detectors at a fifth of their steady rate). Warm
    /// means at least the measuring time spent, and half of it ran no more than 5 % faster than the half before (at
    /// most 30 s).
    /// </summary>
    private static Pass Measure(string text, double seconds, Func<string, int> pass)
    {
        var matches = pass(text);
        var previous = double.MaxValue;
        for (var warming = Stopwatch.StartNew(); warming.Elapsed.TotalSeconds < 30;)
        {
            var block = CpuSecondsPerPass(text, seconds / 2, pass);
            if (warming.Elapsed.TotalSeconds >= seconds && block >= previous * 0.95)
            {
                break;
            }

            previous = block;
        }

        var passes = 0;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            matches = pass(text);
            passes++;
        }

        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Pass(cpu / passes, wall / passes, matches);
    }

    private static double CpuSecondsPerPass(string text, double seconds, Func<string, int> pass)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var passes = 0;
        for (var watch = Stopwatch.StartNew(); watch.Elapsed.TotalSeconds < seconds; passes++)
        {
            pass(text);
        }

        process.Refresh();
        return (process.TotalProcessorTime - cpuBefore).TotalSeconds / passes;
    }

    private static int CountAtSigns(string text)
    {
        var count = 0;
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            count++;
        }

        return count;
    }
}
