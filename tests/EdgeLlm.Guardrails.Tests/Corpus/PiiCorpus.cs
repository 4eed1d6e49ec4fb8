using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>
/// The labelled corpus the detectors are measured on, generated from a fixed seed so every run sees the same items:
/// per family, <see cref="PositivesPerFamily"/> items with a valid entity in varied notations and settings (prose with
/// and without context words, JSON, own line, brackets, quotes), then negatives (failed checksums, invalid numbers,
/// entities glued inside words, near misses), then look-alikes with no entity at all.
/// </summary>
public static class PiiCorpus
{
    public const int PositivesPerFamily = 1000;
    public const int NegativesPerFamily = 500;
    public const int LookAlikeItems = 1000;

    /// <summary>The configured family the corpus also covers: an employee number, "EMP" and seven digits, Luhn-checked.</summary>
    public static CustomPattern EmployeeId { get; } = new()
    {
        Name = "employee-id",
        Pattern = "EMP[0-9]{7}",
        Checksum = PatternChecksum.Luhn,
        ContextWords = ["employee", "staff"],
    };

    public static IReadOnlyList<string> Families { get; } = [.. PiiFamilies.BuiltIn, EmployeeId.Family];

    public static IReadOnlyList<CorpusItem> Generate(int seed = 17)
    {
        var random = new Random(seed);
        var items = new List<CorpusItem>();
        foreach (var family in Families)
        {
            var words = family == EmployeeId.Family ? EmployeeId.ContextWords : DefaultContextWords.For(family);
            for (var i = 0; i < PositivesPerFamily; i++)
            {
                items.Add(Positive(random, family, words));
            }

            for (var i = 0; i < NegativesPerFamily; i++)
            {
                items.Add(Negative(random, family, words));
            }
        }

        for (var i = 0; i < LookAlikeItems; i++)
        {
            items.Add(LookAlikes.Next(random));
        }

        // Several entities in one text, as in a real form or log line.
        for (var i = 0; i < LookAlikeItems; i++)
        {
            var builder = new CorpusItemBuilder().Text("{\"name\": \"A. Person\", \"email\": \"")
                .Entity(PiiFamilies.Email, AddressValues.Email(random)).Text("\",\n \"phone\": \"")
                .Entity(PiiFamilies.Phone, PhoneValues.Valid(random, solid: false)).Text("\", \"iban\": \"")
                .Entity(PiiFamilies.Iban, NumberValues.Iban(random, valid: true)).Text("\", \"client\": \"")
                .Entity(PiiFamilies.IPv4, AddressValues.IPv4(random)).Text("\"}");
            items.Add(builder.Build());
        }

        return items;
    }

    private static CorpusItem Positive(Random random, string family, IReadOnlyList<string> words)
    {
        if (family == PiiFamilies.Phone && random.Next(8) == 0)
        {
            // A bare run of digits is a phone number only when the text says so.
            return new CorpusItemBuilder().Text(Surroundings.Pick(random, words) + ": ")
                .Entity(family, PhoneValues.Valid(random, solid: true)).Text(".").Build();
        }

        return Surroundings.Plant(random, family, ValidValue(random, family), words);
    }

    private static CorpusItem Negative(Random random, string family, IReadOnlyList<string> words)
    {
        if (random.Next(3) == 0 && family != PiiFamilies.Email)
        {
            return Surroundings.InsideWord(random, ValidValue(random, family));
        }

        var value = family switch
        {
            PiiFamilies.Email => AddressValues.EmailLookAlike(random),
            PiiFamilies.Phone => PhoneValues.Invalid(random),
            PiiFamilies.Iban => NumberValues.Iban(random, valid: false),
            PiiFamilies.Card => NumberValues.Card(random, valid: false),
            PiiFamilies.IPv4 => AddressValues.IPv4LookAlike(random),
            PiiFamilies.IPv6 => AddressValues.IPv6LookAlike(random),
            PiiFamilies.Mac => AddressValues.MacLookAlike(random),
            _ => EmployeeNumber(random, valid: false),
        };
        return Surroundings.Plant(random, null, value, words);
    }

    private static string ValidValue(Random random, string family) => family switch
    {
        PiiFamilies.Email => AddressValues.Email(random),
        PiiFamilies.Phone => PhoneValues.Valid(random, solid: false),
        PiiFamilies.Iban => NumberValues.Iban(random, valid: true),
        PiiFamilies.Card => NumberValues.Card(random, valid: true),
        PiiFamilies.IPv4 => AddressValues.IPv4(random),
        PiiFamilies.IPv6 => AddressValues.IPv6(random),
        PiiFamilies.Mac => AddressValues.Mac(random),
        _ => EmployeeNumber(random, valid: true),
    };

    private static string EmployeeNumber(Random random, bool valid)
    {
        var payload = random.Next(1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        var check = NumberValues.LuhnCheckDigit(payload);
        return "EMP" + payload + (valid ? check : (check + 1 + random.Next(9)) % 10);
    }
}
