using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// A set scans a text's digit runs once for all its number detectors: what it finds must be what resolving each
/// detector's own matches finds, and texts and sets with nothing in them must cost nothing to get wrong.
/// </summary>
public sealed class SharedDigitRunsTests
{
    [Fact]
    public void ASetFindsWhatItsDetectorsFindAloneOnTheCorpus()
    {
        var text = string.Join('\n', PiiCorpus.Generate().Select(i => i.Text));
        var set = PiiDetectorSet.Create(new PiiDetectorOptions { CustomPatterns = [PiiCorpus.EmployeeId] });

        var alone = PiiDetectorSet.Resolve(set.Detectors.SelectMany(d => d.Find(text)).ToList());

        Assert.True(alone.Count > 10_000, $"only {alone.Count} matches");
        Assert.Equal(alone, set.Find(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("no digits here")]
    public void TextsWithFewOrNoDigitsAreScannedWithoutFault(string text)
    {
        var set = PiiDetectorSet.Create(new PiiDetectorOptions());

        Assert.Empty(set.Find(text));
        Assert.Empty(new PiiDetectorSet([]).Find(text));
    }
}
