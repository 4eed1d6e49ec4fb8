using System.Diagnostics;
using Xunit.Abstractions;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Policies;

/// <summary>
/// Documents written to hurt the reader or the checks. The time bounds are hang guards on a shared, busy machine, not
/// speed goals: what they catch is a reader that compiles 10,000 expressions or a check that backtracks exponentially.
/// </summary>
public sealed class HostilePolicyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(2);

    [Fact]
    public void TenThousandPatternsAreRefusedBeforeOneCompiles()
    {
        var patterns = string.Join(", ", Enumerable.Range(0, 10_000).Select(i => $"\"(x+)+y{i}\""));
        var json = PolicyDocuments.With($$""" "deny": [ { "name": "many", "patterns": [{{patterns}}] } ] """);

        var (result, took) = Timed(() => PolicyReader.Read(json));

        var refused = Assert.IsType<PolicyLoadResult.Refused>(result);
        Assert.Equal("$.deny[0].patterns", refused.Path);
        Assert.True(took < HangGuard, $"took {took}");
    }

    [Fact]
    public void PatternsSpreadOverManyRulesAndTenantsStopAtTheDocumentsBudget()
    {
        // Four rules of 32 patterns: 128 expressions per policy, each within every per-policy bound.
        var rule = string.Join(", ", Enumerable.Range(0, PolicyLimits.MaxPatternsPerRule).Select(i => $"\"[a-z]+{i}\""));
        var deny = "\"deny\": [" + string.Join(", ", Enumerable.Range(0, 4).Select(i => $$"""{ "name": "r{{i}}", "patterns": [{{rule}}] }""")) + "]";
        var json = PolicyDocuments.With($$""" {{deny}}, "tenants": { "t0": { {{deny}} }, "t1": { {{deny}} } } """);

        var (result, took) = Timed(() => PolicyReader.Read(json));

        // The default and t0 use the document's 256; t1's first pattern is one too many.
        var refused = Assert.IsType<PolicyLoadResult.Refused>(result);
        Assert.Equal(256, PolicyLimits.MaxExpressionsPerDocument);
        Assert.Equal("$.tenants.t1.deny[0].patterns[0]", refused.Path);
        Assert.True(took < HangGuard * 2, $"took {took}");
    }

    [Fact]
    public void AMegabyteDocumentIsRefusedUnread()
    {
        var json = PolicyDocuments.With($$""" "deny": [ { "name": "big", "keywords": ["{{new string('k', 1 << 20)}}"] } ] """);

        var (result, took) = Timed(() => PolicyReader.Read(json));

        var refused = Assert.IsType<PolicyLoadResult.Refused>(result);
        Assert.Equal("$", refused.Path);
        Assert.Contains("larger than", refused.Message, StringComparison.Ordinal);
        Assert.True(took < HangGuard, $"took {took}");
    }

    [Fact]
    public void ADocumentOverTheLimitOnlyInUtf8BytesIsRefused()
    {
        // Fewer characters than the limit, more bytes: each 'é' is two bytes in UTF-8.
        var json = PolicyDocuments.With($$""" "deny": [ { "name": "big", "keywords": ["{{new string('é', (PolicyLimits.MaxDocumentBytes / 2) + 1)}}"] } ] """);

        var refused = Assert.IsType<PolicyLoadResult.Refused>(PolicyReader.Read(json));

        Assert.Equal("$", refused.Path);
    }

    [Fact]
    public void ACatastrophicDenyPatternChecksAHundredKilobyteNearMissWithoutHanging()
    {
        var deny = PolicyReaderTests.Loaded(PolicyDocuments.With(""" "deny": [ { "name": "evil", "patterns": ["^(a+)+$"] } ] """)).Default.Deny;
        var nearMiss = new string('a', 100_000) + "b";

        var (verdict, took) = Timed(() => deny.Check(nearMiss, GuardrailDirection.Input));

        Assert.Null(verdict);
        Assert.True(took < HangGuard, $"took {took}");
        Assert.Equal("evil", deny.Check(new string('a', 100_000), GuardrailDirection.Input));
    }

    [Fact]
    public void ACatastrophicCustomPatternScansAHundredKilobyteNearMissWithoutHanging()
    {
        var policy = PolicyReaderTests.Loaded(PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "evil", "pattern": "(x+x+)+y" } ] } """)).Default;
        var regex = policy.Detectors["custom:evil"].Pattern!.Regex;
        var nearMiss = new string('x', 100_000);

        var (matched, took) = Timed(() => regex.IsMatch(nearMiss));

        Assert.False(matched);
        Assert.True(took < HangGuard, $"took {took}");
    }

    [Fact]
    public void CountedRepetitionsThatWouldUnrollIntoABillionStatesAreRefusedQuickly()
    {
        var json = PolicyDocuments.With(""" "deny": [ { "name": "counters", "patterns": ["((a{1,1000}){1,1000}){1,1000}b"] } ] """);

        var (result, took) = Timed(() => PolicyReader.Read(json));

        var refused = Assert.IsType<PolicyLoadResult.Refused>(result);
        Assert.Equal("$.deny[0].patterns[0]", refused.Path);
        Assert.Contains("linear-time", refused.Message, StringComparison.Ordinal);
        Assert.True(took < HangGuard, $"took {took}");
    }

    [Fact]
    public void KeywordListsLargerThanTheDocumentsBudgetAreRefusedAtTheRuleThatCrossesIt()
    {
        var keywords = string.Join(", ", Enumerable.Range(0, 300).Select(i => $"\"{new string('k', 60)}{i}\""));
        var rules = string.Join(", ", Enumerable.Range(0, 4).Select(i => $$"""{ "name": "r{{i}}", "keywords": [{{keywords}}] }"""));

        var (result, took) = Timed(() => PolicyReader.Read(PolicyDocuments.With($$""" "deny": [{{rules}}] """)));

        // 300 keywords of about 70 characters of expression each: the first rule fits the budget, the second does not.
        var refused = Assert.IsType<PolicyLoadResult.Refused>(result);
        Assert.Equal("$.deny[1].keywords", refused.Path);
        Assert.True(took < HangGuard, $"took {took}");
    }

    private (T Result, TimeSpan Took) Timed<T>(Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        output.WriteLine($"{result}: {clock.Elapsed.TotalMilliseconds:F1} ms");
        return (result, clock.Elapsed);
    }
}
