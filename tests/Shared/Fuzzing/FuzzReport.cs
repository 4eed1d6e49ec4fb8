using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>One failing case: enough to read what happened and to make it again (seed, target, index).</summary>
internal sealed record FuzzFailure(string Target, int Index, string Mutation, string Method, string Path, string Body, int Status, string Response, string Why);

/// <summary>What a fuzzing run sent and got: cases per target, answers by status, and every failure.</summary>
internal sealed class FuzzReport(int seed)
{
    private readonly ConcurrentDictionary<string, int> _cases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Target, int Status), int> _statuses = new();
    private readonly ConcurrentQueue<FuzzFailure> _failures = new();

    public int Seed { get; } = seed;

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Cases sent, by target name.</summary>
    public IReadOnlyDictionary<string, int> CasesByTarget => _cases;

    /// <summary>Answers by status over all targets (0: no answer).</summary>
    public IReadOnlyDictionary<int, int> ByStatus => _statuses.GroupBy(s => s.Key.Status).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));

    /// <summary>Answers by status for one target.</summary>
    public IReadOnlyDictionary<int, int> StatusesOf(string target) => _statuses.Where(s => s.Key.Target == target).ToDictionary(s => s.Key.Status, s => s.Value);

    public IReadOnlyList<FuzzFailure> Failures => [.. _failures.OrderBy(f => f.Target, StringComparer.Ordinal).ThenBy(f => f.Index)];

    internal void Record(FuzzCase fuzzCase, int status, string? failure, string response)
    {
        _cases.AddOrUpdate(fuzzCase.Target, 1, (_, n) => n + 1);
        _statuses.AddOrUpdate((fuzzCase.Target, status), 1, (_, n) => n + 1);
        if (failure is not null)
        {
            _failures.Enqueue(new FuzzFailure(fuzzCase.Target, fuzzCase.Index, fuzzCase.Mutation, fuzzCase.Method.Method,
                Cut(fuzzCase.RawPath, 300), fuzzCase.BodyPreview(), status, Cut(response, 600), failure));
        }
    }

    /// <summary>A summary for a test's failure message or a soak log: seed, time, statuses, then up to <paramref name="maxFailures"/> failures in full.</summary>
    public string Describe(int maxFailures = 20)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Fuzzing with seed {Seed}: {CasesByTarget.Values.Sum()} cases over {CasesByTarget.Count} targets in {Elapsed.TotalSeconds:F1} s; ")
            .Append(CultureInfo.InvariantCulture, $"statuses {string.Join(", ", ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; {_failures.Count} failures.")
            .AppendLine();
        foreach (var f in Failures.Take(maxFailures))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {f.Target} case {f.Index} (seed {Seed}): {f.Why}. {f.Method} {f.Path} [{f.Mutation}]")
                .AppendLine(CultureInfo.InvariantCulture, $"  sent: {f.Body}")
                .AppendLine(CultureInfo.InvariantCulture, $"  got {f.Status}: {f.Response}");
        }

        return text.ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
