using System.Diagnostics;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// A megabyte of what each detector's candidates are made of: every detector must get through it. The limit is a
/// generous hang guard (a backtracking blow-up takes minutes or forever), not a speed goal; the benchmark measures speed.
/// </summary>
public sealed class HostileInputTests
{
    private const int Megabyte = 1 << 20;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Inputs => new()
    {
        "digits",
        "digits-spaced",
        "letters",
        "at-signs",
        "hex-colons",
        "dots",
        "iban-like",
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TheFullSetGetsThroughAMegabyteOfHostileText(string kind)
    {
        var text = Build(kind);
        var set = PiiDetectorSet.Create(new PiiDetectorOptions());
        var watch = Stopwatch.StartNew();
        var matches = set.Find(text).Count();
        Assert.True(watch.Elapsed < HangGuard, $"{kind}: {watch.Elapsed} for {matches} matches");
    }

    private static string Build(string kind)
    {
        var random = new Random(1);
        return kind switch
        {
            "digits" => new string('7', Megabyte),
            "digits-spaced" => string.Concat(Enumerable.Range(0, Megabyte / 2).Select(i => i % 2 == 0 ? "4 " : "1-")),
            "letters" => new string('a', Megabyte),
            "at-signs" => string.Concat(Enumerable.Repeat(new string('a', 63) + "@", Megabyte / 64)),
            "hex-colons" => string.Concat(Enumerable.Range(0, Megabyte / 3).Select(_ => "ab:")),
            "dots" => string.Concat(Enumerable.Range(0, Megabyte / 2).Select(_ => random.Next(10) + ".")),
            _ => string.Concat(Enumerable.Range(0, Megabyte / 5).Select(_ => "DE89 ")),
        };
    }
}
