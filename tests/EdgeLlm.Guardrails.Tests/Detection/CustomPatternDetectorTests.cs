using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

public sealed class CustomPatternDetectorTests
{
    [Fact]
    public void AMatchPassingItsChecksumIsStrongAndOneFailingItIsWeak()
    {
        var detector = new CustomPatternDetector(new CustomPattern { Name = "staff", Pattern = "EMP[0-9]{7}", Checksum = PatternChecksum.Luhn }, 40);
        var matches = detector.Find("EMP1234566 and EMP1234567").ToArray();
        Assert.Equal("custom:staff", detector.Family);
        Assert.Equal(2, matches.Length);
        Assert.True(matches[0].Score >= DetectorScores.Checksum);
        Assert.True(matches[1].Score < DetectorScores.DetectionThreshold);
    }

    [Fact]
    public void Mod97IsReadAsTheValueStandsWithLettersAsTwoDigits()
    {
        // "R" reads as 27: of R123456789 00..99 exactly one leaves 1 mod 97.
        var detector = new CustomPatternDetector(new CustomPattern { Name = "ref", Pattern = "R[0-9]{11}", Checksum = PatternChecksum.Mod97 }, 40);
        var candidates = Enumerable.Range(0, 100).Select(i => "R123456789" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var expected = candidates.Single(r => System.Numerics.BigInteger.Parse("27" + r[1..], System.Globalization.CultureInfo.InvariantCulture) % 97 == 1);
        var strong = candidates.Where(r => Detect.Single(detector, r).Score >= DetectorScores.Checksum);
        Assert.Equal([expected], strong);
    }

    [Fact]
    public void WithoutAChecksumTheConfiguredScoreApplies() =>
        Assert.Equal(0.7, Detect.Single(new CustomPatternDetector(new CustomPattern { Name = "x", Pattern = "K-[0-9]{4}", Score = 0.7 }, 40), "key K-1234.").Score);

    [Theory]
    [InlineData("xEMP1234566")]
    [InlineData("EMP1234566x")]
    [InlineData("_EMP1234566")]
    public void AMatchInsideAWordIsIgnored(string text) =>
        Assert.Empty(new CustomPatternDetector(new CustomPattern { Name = "staff", Pattern = "EMP[0-9]{7}" }, 40).Find(text));

    [Fact]
    public void AMatchLongerThanItsMaximumIsIgnored() =>
        Assert.Empty(new CustomPatternDetector(new CustomPattern { Name = "n", Pattern = "[0-9]+", MaxLength = 5 }, 40).Find("123456"));

    [Theory]
    [InlineData("(?<=a)b")]
    [InlineData(@"(a)\1")]
    [InlineData("(unclosed")]
    public void APatternTheNonBacktrackingEngineCannotRunIsRefused(string pattern)
    {
        var e = Assert.Throws<ArgumentException>(() => new CustomPatternDetector(new CustomPattern { Name = "bad", Pattern = pattern }, 40));
        Assert.Contains("bad", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACatastrophicBacktrackingPatternRunsInLinearTime()
    {
        var detector = new CustomPatternDetector(new CustomPattern { Name = "evil", Pattern = "(a+)+$", MaxLength = 10 }, 40);
        var hostile = new string('a', 100_000) + "!";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _ = detector.Find(hostile).ToList();
        // A hang guard, not a speed goal: backtracking would take longer than the universe has left.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void AnInvalidNameIsRefused() =>
        Assert.Throws<ArgumentException>(() => new CustomPatternDetector(new CustomPattern { Name = "a b", Pattern = "x" }, 40));
}
