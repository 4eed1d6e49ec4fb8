using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

public sealed class PiiDetectorSetTests
{
    [Fact]
    public void OverlapsAreResolvedByScoreThenLength()
    {
        var resolved = PiiDetectorSet.Resolve(
        [
            new EntityMatch("a", 0, 10, 0.5),
            new EntityMatch("b", 5, 10, 0.9),
            new EntityMatch("c", 20, 4, 0.6),
            new EntityMatch("d", 18, 8, 0.6),
            new EntityMatch("e", 30, 2, 0.1),
        ]);
        Assert.Equal(["b", "d", "e"], resolved.Select(m => m.Family));
    }

    [Fact]
    public void ResolvingKeepsWhatTakingEveryMatchByPriorityKeeps()
    {
        // Dense, chained overlaps of every length, with repeated scores, lengths and spans.
        var random = new Random(23);
        for (var round = 0; round < 200; round++)
        {
            var matches = Enumerable.Range(0, random.Next(1, 80))
                .Select(i => new EntityMatch($"f{i % 3}", random.Next(0, 300), random.Next(1, 30), random.Next(1, 10) / 10.0))
                .ToList();

            Assert.Equal(ByPriorityOneAtATime(matches), PiiDetectorSet.Resolve(matches.AsEnumerable().Reverse()));
        }
    }

    /// <summary>The definition: best first (score, then length, then start, then family), each kept unless it overlaps one kept.</summary>
    private static List<EntityMatch> ByPriorityOneAtATime(List<EntityMatch> matches)
    {
        var kept = new List<EntityMatch>();
        foreach (var candidate in matches.OrderByDescending(m => m.Score).ThenByDescending(m => m.Length).ThenBy(m => m.Start).ThenBy(m => m.Family, StringComparer.Ordinal))
        {
            if (!kept.Any(k => k.Start < candidate.End && candidate.Start < k.End))
            {
                kept.Add(candidate);
            }
        }

        return [.. kept.OrderBy(m => m.Start)];
    }

    [Fact]
    public void TheStrongerFamilyWinsWhereTwoClaimTheSameText()
    {
        // "+49 1512 3456789" is also Luhn-shaped digits; the IPv4 tail of an IPv6 address is that address's.
        var set = PiiDetectorSet.Create(new PiiDetectorOptions());
        var text = "call +49 1512 3456789 or ::ffff:192.0.2.128 or mail a@example.com";
        var families = set.Find(text).Where(m => m.Score >= DetectorScores.DetectionThreshold).Select(m => m.Family);
        Assert.Equal([PiiFamilies.Phone, PiiFamilies.IPv6, PiiFamilies.Email], families);
    }

    [Fact]
    public void ItsMaximumMatchLengthIsItsLongestDetectors()
    {
        var set = PiiDetectorSet.Create(new PiiDetectorOptions
        {
            Families = [PiiFamilies.IPv4, PiiFamilies.Mac],
            CustomPatterns = [new CustomPattern { Name = "long", Pattern = "L[0-9]+", MaxLength = 99 }],
        });
        Assert.Equal(99, set.MaxMatchLength);
        Assert.Equal(PiiDetectorSet.Create(new PiiDetectorOptions()).Detectors.Max(d => d.MaxMatchLength), PiiDetectorSet.Create(new PiiDetectorOptions()).MaxMatchLength);
    }

    [Fact]
    public void ConfiguredContextWordsReplaceAFamilysDefaults()
    {
        var set = PiiDetectorSet.Create(new PiiDetectorOptions
        {
            Families = [PiiFamilies.Phone],
            ContextWords = new Dictionary<string, IReadOnlyList<string>> { [PiiFamilies.Phone] = ["rückruf"] },
        });
        Assert.NotEmpty(Detect.Strong(set, "Rückruf 2122345678"));
        Assert.Empty(Detect.Strong(set, "phone 2122345678"));
    }

    [Fact]
    public void AnUnknownFamilyIsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => PiiDetectorSet.Create(new PiiDetectorOptions { Families = ["passport"] }));
        Assert.Contains("passport", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextWordsAreFoundExactlyWhereAWholeWordSearchFindsThem()
    {
        string[] words = ["tel", "phone", "e-mail", "IBAN", "größe", "cc"];
        var context = new ContextWords(words, 12);
        var random = new Random(5);
        const string Pieces = "tel phone Telephone hotel e-mail E-MAIL iban IBANs größe GRÖSSE cc acc  - . 1 é x";
        var pieces = Pieces.Split(' ');
        for (var round = 0; round < 5000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(3) == 0 ? "" : " ")));
            if (text.Length == 0)
            {
                continue;
            }

            var start = random.Next(1, text.Length + 1);
            var window = text.AsSpan(Math.Max(0, start - 12), Math.Min(start, 12)).ToString();
            var expected = words.Any(w => WholeWordAt(window, w));

            Assert.True(expected == context.AppearBefore(text, start), $"'{text}' before {start}: expected {expected}");
        }
    }

    /// <summary>The definition: the word, ignoring case, with no letter just before or after it in the window.</summary>
    private static bool WholeWordAt(string window, string word) =>
        Enumerable.Range(0, Math.Max(0, window.Length - word.Length + 1)).Any(at =>
            string.Equals(window.Substring(at, word.Length), word, StringComparison.OrdinalIgnoreCase)
            && (at == 0 || !char.IsLetter(window[at - 1]))
            && (at + word.Length == window.Length || !char.IsLetter(window[at + word.Length])));

    [Fact]
    public void AMatchInsideAHotelIsNoTelephoneContext()
    {
        var context = new ContextWords(["tel"], 40);
        Assert.False(context.AppearBefore("hotel 2122345678", 6));
        Assert.True(context.AppearBefore("Tel.: 2122345678", 6));
        Assert.False(context.AppearBefore(new string(' ', 50) + "tel" + new string(' ', 50) + "x", 104));
    }
}
