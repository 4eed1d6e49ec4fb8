using System.Globalization;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;
using PhoneNumbers;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// The phone detector reads candidates with its own compiled copy of libphonenumber's rules, a speed-up only: every
/// score must be the one libphonenumber's parse, validation and formatting give, on the corpus and on random numbers
/// in every notation for every region the library knows.
/// </summary>
public sealed class PhoneNumberReaderTests
{
    private const int RandomNumbersPerRegion = 1500;

    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();
    private static readonly string CorpusText = string.Join('\n', PiiCorpus.Generate().Select(i => i.Text));
    private static readonly string[] Separators = [" ", "-", ".", "/", ""];

    public static TheoryData<string> SomeRegions => ["US", "CA", "DE", "GB", "FR", "IT", "IN", "BR", "AR", "MX", "JP", "AU", "CH", "RU"];

    public static TheoryData<string> EveryRegion => [.. Numbers.GetSupportedRegions().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(SomeRegions))]
    public void ScoresEveryCorpusCandidateAsLibphonenumberDoes(string region)
    {
        var detector = Detector(region);
        var candidates = detector.Candidates(CorpusText).Select(c => CorpusText.Substring(c.Index, c.Length)).ToList();

        Assert.True(candidates.Count > 2000, $"only {candidates.Count} candidates");
        AssertSameScores(detector, candidates);
    }

    [Theory]
    [MemberData(nameof(EveryRegion))]
    public void ScoresRandomNumbersInEveryNotationAsLibphonenumberDoes(string region)
    {
        var random = new Random(region[0] * 128 + region[1]);
        var numbers = Enumerable.Range(0, RandomNumbersPerRegion).Select(_ => RandomNumber(random, region)).ToList();
        var detector = Detector(region);

        AssertSameScores(detector, numbers);

        // Neither comparison is empty: most numbers are read without the library, and many of them are valid.
        var reader = new PhoneNumberReader(region);
        var decided = numbers.Count(raw => reader.Read(raw[0] == '+', new string([.. raw.Where(char.IsAsciiDigit)])).Kind != PhoneReadingKind.Undecided);
        var valid = numbers.Count(raw => detector.ScoreByLibphonenumber(raw) > DetectorScores.FormatOnly);
        Assert.True(decided >= numbers.Count * 3 / 4, $"only {decided} of {numbers.Count} read without the library");
        Assert.True(valid >= numbers.Count / 15, $"only {valid} of {numbers.Count} valid");
    }

    [Fact]
    public void TheReaderDecidesAlmostEveryCorpusCandidateItselfAndFindsTheValidOnes()
    {
        var reader = new PhoneNumberReader("US");
        var readings = Detector("US").Candidates(CorpusText)
            .Select(c => CorpusText.Substring(c.Index, c.Length))
            .Select(raw => reader.Read(raw[0] == '+', new string([.. raw.Where(char.IsAsciiDigit)])))
            .ToList();

        var undecided = readings.Count(r => r.Kind == PhoneReadingKind.Undecided);
        Assert.True(undecided < readings.Count / 50, $"{undecided} of {readings.Count} candidates left to libphonenumber");
        Assert.True(readings.Count(r => r.Kind == PhoneReadingKind.Valid) > 1000);
    }

    [Theory]
    [InlineData("US", "2122345678", "(212) 234-5678")]
    [InlineData("US", "12122345678", "(212) 234-5678")]
    [InlineData("DE", "03012345678", "030 12345678")]
    [InlineData("GB", "02079460000", "020 7946 0000")]
    public void ANationalNumberIsValidAndFormattedAsItsCountryWritesIt(string region, string digits, string national)
    {
        var reader = new PhoneNumberReader(region);
        var reading = reader.Read(plus: false, digits);

        Assert.Equal(PhoneReadingKind.Valid, reading.Kind);
        Assert.Equal(national, reader.FormatNational(reading));
        var number = Numbers.Parse(digits, region);
        Assert.Equal(Numbers.Format(number, PhoneNumberFormat.INTERNATIONAL), reader.FormatInternational(reading));
    }

    private static PhoneNumberDetector Detector(string region) => new(region, new ContextWords([], 40));

    private static void AssertSameScores(PhoneNumberDetector detector, IEnumerable<string> numbers)
    {
        var differences = numbers
            .Select(raw => (Raw: raw, Read: detector.Score(raw), Library: detector.ScoreByLibphonenumber(raw)))
            .Where(r => r.Read != r.Library)
            .Select(r => $"'{r.Raw}': read {r.Read?.ToString(CultureInfo.InvariantCulture) ?? "none"}, libphonenumber {r.Library?.ToString(CultureInfo.InvariantCulture) ?? "none"}")
            .ToList();

        Assert.True(differences.Count == 0, $"{differences.Count} differ:\n{string.Join('\n', differences.Take(20))}");
    }

    /// <summary>
    /// A candidate-shaped number: real numbers of random regions and types with varied subscriber digits, in their
    /// international, national and solid forms with any separator; numbers in the home region's own notations (national
    /// prefix, country code, international dialling prefix); and random digit runs with and without '+'.
    /// </summary>
    private static string RandomNumber(Random random, string home)
    {
        var regions = Numbers.GetSupportedRegions().ToArray();
        var region = random.Next(3) == 0 ? home : regions[random.Next(regions.Length)];
        var type = (PhoneNumberType)random.Next((int)PhoneNumberType.VOICEMAIL + 1);
        var example = Numbers.GetExampleNumberForType(region, type) ?? Numbers.GetExampleNumber(region);
        if (example is null || random.Next(5) == 0)
        {
            return Grouped(random, (random.Next(2) == 0 ? "+" : "") + RandomDigits(random, random.Next(7, 18)));
        }

        var national = Numbers.GetNationalSignificantNumber(example);
        var keep = random.Next(1, national.Length);
        var varied = national[..keep] + RandomDigits(random, national.Length - keep + random.Next(-1, 2));
        var number = new PhoneNumber.Builder().SetCountryCode(example.CountryCode).SetNationalNumber(ulong.Parse("0" + varied, CultureInfo.InvariantCulture));
        if (varied.StartsWith('0'))
        {
            number.SetNumberOfLeadingZeros(varied.Length - varied.TrimStart('0').Length);
        }

        var built = number.Build();
        var metadata = Numbers.GetMetadataForRegion(home);
        var written = random.Next(8) switch
        {
            0 => Numbers.Format(built, PhoneNumberFormat.E164),
            1 => Numbers.Format(built, PhoneNumberFormat.INTERNATIONAL),
            2 => Numbers.Format(built, PhoneNumberFormat.INTERNATIONAL).TrimStart('+'),
            3 => Numbers.Format(built, PhoneNumberFormat.NATIONAL),
            4 => varied,
            5 => metadata.NationalPrefix + varied,
            6 => example.CountryCode.ToString(CultureInfo.InvariantCulture) + varied,
            _ => (metadata.PreferredInternationalPrefix is { Length: > 0 } idd ? idd : "00") + example.CountryCode + varied,
        };

        var separator = Separators[random.Next(Separators.Length)];
        var text = random.Next(3) == 0 ? written.Replace(" ", separator, StringComparison.Ordinal) : written;
        return text.All(c => char.IsAsciiDigit(c) || "+()-./ ".Contains(c)) && text.Any(char.IsAsciiDigit) ? text : varied;
    }

    private static string Grouped(Random random, string digits)
    {
        var grouped = new System.Text.StringBuilder();
        foreach (var c in digits)
        {
            grouped.Append(c);
            if (c != '+' && random.Next(4) == 0)
            {
                grouped.Append(Separators[random.Next(Separators.Length)]);
            }
        }

        return grouped.ToString().TrimEnd(' ', '-', '.', '/');
    }

    private static string RandomDigits(Random random, int count) =>
        string.Concat(Enumerable.Range(0, Math.Max(count, 0)).Select(_ => (char)('0' + random.Next(10))));
}
