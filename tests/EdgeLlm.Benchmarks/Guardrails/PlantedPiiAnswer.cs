using System.Globalization;
using System.Text;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// An assistant's answer as a help desk would get one: plain sentences with one entity about every
/// <see cref="Spacing"/> characters, each family in turn, written by the labelled corpus's generators (valid values, so
/// every one is redacted) after a lead-in that names it, as an answer would.
/// </summary>
internal static class PlantedPiiAnswer
{
    public const int Spacing = 200;

    private static readonly string[] Sentences =
    [
        "I checked the ticket history and the account settings you mentioned. ",
        "The last change was made on Tuesday during the scheduled maintenance window. ",
        "Nothing in the audit trail suggests that anyone outside your team touched it. ",
        "If the problem comes back, please restart the appliance and send us the log bundle. ",
        "The refund was approved and should appear on the statement within five working days. ",
        "Our records show two open requests, both waiting for the vendor to confirm a date. ",
        "You do not need to do anything else for now; the next step is on our side. ",
        "For security reasons we only confirm these details to the registered contact. ",
    ];

    private static readonly (string Family, string LeadIn)[] Plants =
    [
        (PiiFamilies.Email, "You can write to the account owner at "),
        (PiiFamilies.Phone, "Their phone number on file is "),
        (PiiFamilies.Iban, "The refund goes to the IBAN "),
        (PiiFamilies.Card, "The card charged was "),
        (PiiFamilies.IPv4, "The login came from the IP address "),
        (PiiFamilies.IPv6, "The device also reported the IPv6 address "),
        (PiiFamilies.Mac, "Its network card has the MAC address "),
        (PiiCorpus.EmployeeId.Family, "The change was approved by employee "),
    ];

    /// <summary>About <paramref name="length"/> characters of answer, and how many entities were planted in it.</summary>
    public static (string Text, int Entities) Write(int length, int seed = 17)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length + Spacing);
        var entities = 0;
        var sentence = 0;
        while (text.Length < length)
        {
            var plantedAt = text.Length;
            while (text.Length - plantedAt < Spacing - 60)
            {
                text.Append(Sentences[sentence++ % Sentences.Length]);
            }

            var (family, leadIn) = Plants[entities % Plants.Length];
            text.Append(leadIn).Append(Value(random, family)).Append(". ");
            entities++;
        }

        return (text.ToString(), entities);
    }

    private static string Value(Random random, string family) => family switch
    {
        PiiFamilies.Email => AddressValues.Email(random),
        PiiFamilies.Phone => PhoneValues.Valid(random, solid: false),
        PiiFamilies.Iban => NumberValues.Iban(random, valid: true),
        PiiFamilies.Card => NumberValues.Card(random, valid: true),
        PiiFamilies.IPv4 => AddressValues.IPv4(random),
        PiiFamilies.IPv6 => AddressValues.IPv6(random),
        PiiFamilies.Mac => AddressValues.Mac(random),
        _ => EmployeeNumber(random),
    };

    private static string EmployeeNumber(Random random)
    {
        var payload = random.Next(1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        return "EMP" + payload + NumberValues.LuhnCheckDigit(payload);
    }
}
