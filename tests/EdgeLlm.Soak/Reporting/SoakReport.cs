using System.Globalization;
using EdgeLlm.Soak.Scenarios;

namespace EdgeLlm.Soak.Reporting;

/// <summary>Prints what the soak saw and judges it against the issue's goals; the goals decide the exit code.</summary>
internal static class SoakReport
{
    // RSS, threads and file descriptors count as flat within this share of their value at the start of the load.
    private const double FlatShare = 0.10;

    public static bool Print(SoakResults r)
    {
        var t = r.Timeline;
        var unloaded = LatencyWindow.Of("unloaded (key B alone)", r.Flood.KeyB, TimeSpan.Zero, t.UnloadedEnd);
        var flooded = LatencyWindow.Of($"flooded (key A: {r.Flood.FloodStreams} streams)", r.Flood.KeyB, t.FloodSettled, t.MixStart);
        var everything = LatencyWindow.Of("beside everything", r.Flood.KeyB, t.MixStart, t.Total);
        var (fullOk, fullAll) = LatencyWindow.InFlight(r.Flood.KeyB, t.DiskFullStart, t.DiskFullEnd);
        var step = DecodeStep.MedianMs(r.Flood.FloodArrivals, t.FloodSettled, t.MixStart);
        var goals = new List<(string Goal, bool Met, string Detail)>();

        Console.WriteLine($"\n=== EdgeLlm soak: {r.Options.Duration.TotalMinutes:0.#} min, model {Path.GetFileName(r.Options.ModelPath)}, {Environment.ProcessorCount} cores, load average at the end {r.LoadAverageAtEnd} ===");
        if (r.DaemonDown is { } down)
        {
            Console.WriteLine($"THE DAEMON {down.Why.ToUpperInvariant()} at {down.At:mm\\:ss} (exit code {ExitCode(down)}); the traffic stopped there. Its last lines:");
            foreach (var line in down.LastLines)
            {
                Console.WriteLine("  | " + line);
            }
        }

        foreach (var scenario in r.BrokenScenarios)
        {
            Console.WriteLine($"A SCENARIO BROKE (the soak's fault, not the daemon's): {scenario}");
        }

        Section("Requests by status (the fuzzer's are counted in its own section)");
        foreach (var (status, count) in r.Ledger.ByStatus.OrderBy(p => p.Key))
        {
            Console.WriteLine($"  {status}: {count}");
        }

        Console.WriteLine($"  total answered: {r.Ledger.Total}; dropped by the soak on purpose (churn): {r.Ledger.AbortedOnPurpose} of {r.Churn.Started} churn requests");
        foreach (var (endpoint, count) in r.Ledger.TransportFailures.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  no complete answer (reset, closed, timed out): {endpoint}: {count}");
        }

        foreach (var (code, count) in r.StreamErrors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  stream ended by an error event '{code}': {count}");
        }

        foreach (var (endpoint, count) in r.Ledger.RefusalsWithoutRetryAfter)
        {
            Console.WriteLine($"  429/503 without Retry-After: {endpoint}: {count}");
        }

        Section("5xx answers");
        Console.WriteLine(r.Ledger.ServerErrors.Count == 0 ? "  none" : string.Join('\n', r.Ledger.ServerErrors.Take(50).Select(e =>
            $"  {e.At:HH:mm:ss} {e.Status} {e.Endpoint}: {e.Body.ReplaceLineEndings(" ")}")));
        if (r.Ledger.ServerErrors.Count > 50)
        {
            Console.WriteLine($"  … and {r.Ledger.ServerErrors.Count - 50} more");
        }

        goals.Add(("no 5xx", r.Ledger.ServerErrors.Count == 0, $"{r.Ledger.ServerErrors.Count} × 5xx (besides {r.Ledger.StorageRefusals} × 507 insufficient_storage while the disk was full)"));
        goals.Add(("429/503 carry Retry-After", r.Ledger.RefusalsWithoutRetryAfter.Count == 0, $"{r.Ledger.RefusalsWithoutRetryAfter.Values.Sum()} without"));

        Section($"Key B latency ({KeyFlood.KeyBTokens}-token completions), ms");
        foreach (var w in new[] { unloaded, flooded, everything })
        {
            Console.WriteLine($"  {w.Name,-32} n={w.Requests,-5} not-200={w.NotOk,-4} unfinished={w.Unfinished,-3} p50={Ms(w.P50Ms),-8} p95={Ms(w.P95Ms),-8} max={Ms(w.MaxMs)}");
        }

        Console.WriteLine($"  one decode step under the flood (median over key A's streams): {Ms(step)} ms");
        var bound = unloaded.P95Ms is { } u && step is { } s ? 2 * u + s : (double?)null;
        goals.Add(("key B flooded p95 ≤ 2 × unloaded p95 + one decode step",
            bound is not null && flooded.P95Ms is { } f && f <= bound && flooded.NotOk == 0,
            $"{Ms(flooded.P95Ms)} ms against {Ms(bound)} ms; {flooded.NotOk} not 200"));

        PrintFaults(r);

        Section("Disk full");
        Console.WriteLine($"  filler {r.DiskFull.FillerBytes / (1024 * 1024)} MiB; upload before the fill: {r.DiskFull.UploadBeforeStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        Console.WriteLine($"  uploads while full: {Statuses(r.DiskFull.UploadsWhileFull)}");
        var fullPercent = fullAll == 0 ? (double?)null : 100.0 * fullOk / fullAll;
        Console.WriteLine($"  key B inference while full (requests in flight during the episode): {fullOk}/{fullAll} answered 200 ({Percent(fullPercent)})");
        goals.Add(("inference 100 % while the disk is full", fullAll > 0 && fullOk == fullAll, $"{Percent(fullPercent)} of {fullAll}"));

        Section("Recovery (time from the fault's end to the first success)");
        var recoveries = r.Stalls.Recoveries.Concat(r.Overload.Recoveries).Concat(r.DiskFull.Recoveries).ToList();
        foreach (var recovery in recoveries)
        {
            Console.WriteLine($"  {recovery.Fault,-16} → {recovery.FirstSuccess,-22} {(recovery.Elapsed is { } e ? $"{e.TotalSeconds:0.00} s" : recovery.CutByEnd ? "NOT YET when the soak ended" : "NEVER (within the limit)")}");
        }

        goals.Add(("every fault recovered", recoveries.Count > 0 && recoveries.All(x => x.Elapsed is not null),
            recoveries.Count == 0 ? "no fault episode came to its end" : $"{recoveries.Count(x => x.Elapsed is null)} of {recoveries.Count} not recovered"));

        PrintFootprint(r.Footprint, goals);
        // A stalled connection passes when the daemon cut it, or when its answers were only 429s or ended by themselves.
        var stalls = r.Stalls.Outcomes.Where(o => o.Statuses.Contains(200)).ToList();
        var held = stalls.Count(o => o.CutAt is null && !(o.ClosedByDaemon && o.Done < o.Requests) && o.Done < o.Requests);
        goals.Add(("stalled readers lose their sequence", stalls.Count > 0 && held == 0, $"{stalls.Count - held} of {stalls.Count} streaming connections cut"));
        goals.Add(("daemon up to the end", r.DaemonDown is null, r.DaemonDown is { } died ? $"{died.Why} at {died.At:mm\\:ss}, exit code {ExitCode(died)}" : "up"));
        goals.Add(("every scenario ran to the end", r.BrokenScenarios.Count == 0, $"{r.BrokenScenarios.Count} broke"));

        Section("Contract fuzzer");
        Console.WriteLine($"  {r.Fuzzing.Rounds} full rounds from seed {r.Fuzzing.FirstSeed}, {r.Fuzzing.Cases} cases; answers: {Statuses(r.Fuzzing.Statuses)}");
        foreach (var failure in r.Fuzzing.Failures.Take(30))
        {
            Console.WriteLine($"  FAIL {failure.Target} case {failure.Index}: {failure.Why}. {failure.Method} {failure.Path} [{failure.Mutation}] → {failure.Status}: {failure.Response.ReplaceLineEndings(" ")}");
        }

        if (r.Fuzzing.FailureCount > 30)
        {
            Console.WriteLine($"  … and {r.Fuzzing.FailureCount - 30} more failures");
        }

        goals.Add(("contract fuzzer: no failure", r.Fuzzing.Rounds > 0 && r.Fuzzing.FailureCount == 0,
            r.Fuzzing.Rounds > 0 ? $"{r.Fuzzing.FailureCount} failures in {r.Fuzzing.Cases} cases" : "no round finished"));

        Section("Goals");
        foreach (var (goal, met, detail) in goals)
        {
            Console.WriteLine($"  {(met ? "PASS" : "FAIL")}  {goal}: {detail}");
        }

        return goals.All(g => g.Met);
    }

    private static void PrintFaults(SoakResults r)
    {
        Section("Stalled readers (server cut-off, seen by the client)");
        foreach (var o in r.Stalls.Outcomes)
        {
            var cut = o.CutAt is { } c ? $"cut after {c.TotalSeconds:0} s"
                : o.ClosedByDaemon && o.Done < o.Requests ? "cut (closed by the daemon before the drain, streams unfinished)"
                : "NOT cut within the hold";
            Console.WriteLine($"  {o.Kind,-26} {cut}; statuses [{string.Join(',', o.Statuses)}], {o.Done}/{o.Requests} ended [DONE], {o.ErrorEvents} error events, {o.BytesRead} bytes read");
        }

        Section("Overload");
        Console.WriteLine($"  {r.Overload.Bursts} bursts of {r.Overload.BurstSize} streams from key A on top of its flood: {Statuses(r.Overload.BurstStatuses)}");
    }

    private static void PrintFootprint(Footprint footprint, List<(string, bool, string)> goals)
    {
        Section("Daemon footprint (/proc): RSS MiB, threads, fds");
        foreach (var (name, sample) in new[] { ("at ready", footprint.AtReady), ("start of load", footprint.AtStart), ("peak", footprint.Peak), ("end (settled)", footprint.AtEnd) })
        {
            Console.WriteLine(sample is null ? $"  {name,-14} (gone)" : $"  {name,-14} {sample.RssKiB / 1024.0,8:0.0} {sample.Threads,6} {sample.FileDescriptors,6}");
        }

        if (footprint is { AtStart: { } start, AtEnd: { } end })
        {
            Flat("RSS", start.RssKiB, end.RssKiB, goals);
            Flat("threads", start.Threads, end.Threads, goals);
            Flat("fds", start.FileDescriptors, end.FileDescriptors, goals);
        }
        else
        {
            goals.Add(("RSS, threads and fds flat", false, "no sample at the end"));
        }
    }

    private static void Flat(string what, long start, long end, List<(string, bool, string)> goals)
    {
        var change = start == 0 ? 0 : (double)(end - start) / start;
        goals.Add(($"{what} flat within {FlatShare:P0}", Math.Abs(change) <= FlatShare, $"{start} → {end} ({change:+0.0%;-0.0%;0%})"));
    }

    private static string ExitCode(DaemonDown down) => down.Code?.ToString(CultureInfo.InvariantCulture) ?? "none: still running a minute later";

    private static void Section(string title) => Console.WriteLine($"\n{title}:");

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    private static string Percent(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a (no requests)";

    private static string Statuses(IReadOnlyDictionary<int, long> statuses) => statuses.Count == 0
        ? "none"
        : string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{(p.Key == 0 ? "no answer" : p.Key.ToString(CultureInfo.InvariantCulture))} × {p.Value}"));
}
