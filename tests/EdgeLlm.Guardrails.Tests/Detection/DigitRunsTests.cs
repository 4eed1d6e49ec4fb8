using System.Text;
using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>The digit runs the number matchers share are found a vector of characters at a time; they must be <c>[0-9]+</c>'s matches.</summary>
public sealed class DigitRunsTests
{
    private static readonly Regex Runs = new("[0-9]+", RegexOptions.CultureInvariant);

    [Fact]
    public void AreTheRunsOfAsciiDigitsInTheCorpus() => AssertRuns(string.Join('\n', PiiCorpus.Generate().Select(i => i.Text)));

    [Fact]
    public void AreTheRunsOfAsciiDigitsInRandomTextOfEveryLength()
    {
        var random = new Random(3);
        for (var length = 0; length < 300; length++)
        {
            var text = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                // Digits, their neighbours in UTF-16 ('/' and ':'), other scripts' digits and a character whose low byte is a digit's.
                text.Append(random.Next(3) > 0 ? (char)('0' + random.Next(10)) : "/:a ٣\u0130\u0131"[random.Next(7)]);
            }

            AssertRuns(text.ToString());
        }
    }

    [Fact]
    public void ReturnsItsBufferOnce()
    {
        var runs = DigitRuns.Of("12 345 6");

        Assert.Equal(3, runs.Count);
        runs.Dispose();
        runs.Dispose();
    }

    private static void AssertRuns(string text)
    {
        using var runs = DigitRuns.Of(text);
        var found = Enumerable.Range(0, runs.Count).Select(i => (runs.Start(i), runs.End(i) - runs.Start(i)));

        Assert.Equal(Runs.Matches(text).Select(m => (m.Index, m.Length)), found);
    }
}
