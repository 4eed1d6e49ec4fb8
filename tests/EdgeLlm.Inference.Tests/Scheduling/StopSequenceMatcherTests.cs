using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void TextThatMightStartAStopSequenceIsHeldBackUntilItCannot()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("abc", matcher.Append("abcE"));
        Assert.Equal("EN!", matcher.Append("N!"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void AStopSequenceSplitAcrossPiecesStopsBeforeIt()
    {
        var matcher = new StopSequenceMatcher(["END", "\n\n"]);

        Assert.Equal("one", matcher.Append("oneE"));
        Assert.Equal("", matcher.Append("ND two"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void TheEarliestOfSeveralStopSequencesWins()
    {
        var matcher = new StopSequenceMatcher(["b", "a"]);

        Assert.Equal("x", matcher.Append("xab"));
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Append("more"));
    }

    [Fact]
    public void HeldTextIsFlushedWhenGenerationEndsWithoutAStop()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("go ", matcher.Append("go ST"));
        Assert.Equal("ST", matcher.Flush());
    }

    [Fact]
    public void WithoutStopSequencesTextPassesStraightThrough()
    {
        var matcher = new StopSequenceMatcher([]);

        Assert.Equal("anything", matcher.Append("anything"));
        Assert.Equal("", matcher.Flush());
    }
}
