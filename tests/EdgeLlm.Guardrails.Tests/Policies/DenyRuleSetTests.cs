using System.Diagnostics;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Policies;

public sealed class DenyRuleSetTests
{
    private static DenyRuleSet Rules(string deny) => PolicyReaderTests.Loaded(PolicyDocuments.With($""" "deny": {deny} """)).Default.Deny;

    [Theory]
    [InlineData("how do I build a pipe bomb?")]
    [InlineData("PIPE BOMB")]
    [InlineData("Pipe\n  Bomb instructions")]
    [InlineData("(pipe bomb)")]
    [InlineData("pipe bomb")]
    public void AKeywordMatchesAsWholeWordsInAnyCaseAndAcrossWhiteSpace(string text)
    {
        var deny = Rules("""[ { "name": "weapons", "keywords": ["pipe bomb"] } ]""");

        Assert.Equal("weapons", deny.Check(text, GuardrailDirection.Input));
    }

    [Theory]
    [InlineData("pipe bombs")]
    [InlineData("stovepipe bomb")]
    [InlineData("pipebomb")]
    [InlineData("pipe_bomb")]
    [InlineData("a plumber's pipe")]
    public void AKeywordInsideALongerWordDoesNotMatch(string text)
    {
        var deny = Rules("""[ { "name": "weapons", "keywords": ["pipe bomb"] } ]""");

        Assert.Null(deny.Check(text, GuardrailDirection.Input));
    }

    [Fact]
    public void AKeywordThatEndsInPunctuationStillMatchesBeforeAWord()
    {
        var deny = Rules("""[ { "name": "langs", "keywords": ["c++", ".net"] } ]""");

        Assert.Equal("langs", deny.Check("written in C++today", GuardrailDirection.Input));
        Assert.Equal("langs", deny.Check("on .NET 10", GuardrailDirection.Input));
        Assert.Null(deny.Check("written in c#", GuardrailDirection.Input));
    }

    [Fact]
    public void KeywordsAreLiteralNotExpressions()
    {
        var deny = Rules("""[ { "name": "literal", "keywords": ["a.b", "(x)"] } ]""");

        Assert.Null(deny.Check("axb", GuardrailDirection.Input));
        Assert.Equal("literal", deny.Check("see a.b now", GuardrailDirection.Input));
        Assert.Equal("literal", deny.Check("call (x) now", GuardrailDirection.Input));
    }

    [Fact]
    public void ARuleAppliesOnlyInTheDirectionsItNames()
    {
        var deny = Rules("""
            [
              { "name": "codenames", "directions": ["output", "retrieved"], "patterns": ["\\bPROJECT-[A-Z]{4}\\b"] },
              { "name": "competitors", "directions": ["input"], "keywords": ["globex"] },
              { "name": "both", "keywords": ["forbidden"] }
            ]
            """);

        Assert.Null(deny.Check("about PROJECT-ABCD", GuardrailDirection.Input));
        Assert.Equal("codenames", deny.Check("about PROJECT-ABCD", GuardrailDirection.Output));
        Assert.Equal("codenames", deny.Check("about PROJECT-ABCD", GuardrailDirection.Retrieved));
        Assert.Equal("competitors", deny.Check("Globex is better", GuardrailDirection.Input));
        Assert.Null(deny.Check("Globex is better", GuardrailDirection.Output));
        Assert.Equal("both", deny.Check("forbidden", GuardrailDirection.Input));
        Assert.Equal("both", deny.Check("forbidden", GuardrailDirection.Output));
        Assert.Null(deny.Check("forbidden", GuardrailDirection.Retrieved));
    }

    [Fact]
    public void PatternsAreCaseSensitiveUnlessTheyAskOtherwise()
    {
        var deny = Rules("""[ { "name": "strict", "patterns": ["PROJECT-[A-Z]{4}"] }, { "name": "loose", "patterns": ["(?i)secret-[a-z]{4}"] } ]""");

        Assert.Null(deny.Check("project-abcd", GuardrailDirection.Input));
        Assert.Equal("strict", deny.Check("PROJECT-ABCD", GuardrailDirection.Input));
        Assert.Equal("loose", deny.Check("SECRET-ABCD", GuardrailDirection.Input));
    }

    [Fact]
    public void TheFirstMatchingRuleInTheDocumentsOrderIsTheOneNamed()
    {
        var deny = Rules("""[ { "name": "first", "patterns": ["zzz"] }, { "name": "second", "keywords": ["alpha"] }, { "name": "third", "keywords": ["alpha", "beta"] } ]""");

        Assert.Equal("second", deny.Check("beta then alpha", GuardrailDirection.Input));
        Assert.Equal("third", deny.Check("beta only", GuardrailDirection.Input));
        Assert.Equal("first", deny.Check("alpha zzz", GuardrailDirection.Input));
    }

    [Fact]
    public void ANameIsAllACheckReturnsNeverTheMatchedText()
    {
        var deny = Rules("""[ { "name": "card-dump", "patterns": ["4[0-9]{15}"] } ]""");

        var verdict = deny.Check("here: 4111111111111111", GuardrailDirection.Input);

        Assert.Equal("card-dump", verdict);
    }

    [Fact]
    public void FiveHundredKeywordsCheckAHostileHundredKilobytesWithoutHanging()
    {
        var keywords = string.Join(", ", Enumerable.Range(0, 500).Select(i => $"\"a a a a a a a a{i}\""));
        var deny = Rules($$"""[ { "name": "many", "keywords": [{{keywords}}] } ]""");
        var hostile = string.Concat(Enumerable.Repeat("a ", 50_000));

        // Seven white-space gaps a keyword: one alternation of all 500 is beyond the engine's size limit, so it is split.
        Assert.True(deny.Rules[0].KeywordMatchers.Count > 1);

        var clock = Stopwatch.StartNew();
        var verdict = deny.Check(hostile, GuardrailDirection.Input);

        Assert.Null(verdict);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal("many", deny.Check(hostile + "a a a a a a a a499", GuardrailDirection.Input));
    }

    [Fact]
    public void AnEmptySetDeniesNothing()
    {
        Assert.Null(DenyRuleSet.Empty.Check("anything at all", GuardrailDirection.Input));
    }
}
