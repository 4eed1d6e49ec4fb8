using System.Globalization;
using System.Net;

namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>E-mail, IP and MAC addresses in their common notations, and near misses of each.</summary>
internal static class AddressValues
{
    private static readonly string[] Names = ["anna", "ben", "j.smith", "maria_lopez", "o.mueller", "support", "ceo", "x", "info", "kim.lee42"];
    private static readonly string[] Domains = ["example.com", "mail.example.co.uk", "firma-x.de", "sub.domain.io", "uni-bonn.de", "corp.example.org", "t.co", "example.museum"];

    public static string Email(Random random)
    {
        var local = Surroundings.Pick(random, Names) + random.Next(4) switch
        {
            0 => "",
            1 => random.Next(100).ToString(CultureInfo.InvariantCulture),
            2 => "+tag" + random.Next(10),
            _ => "-" + (char)('a' + random.Next(26)),
        };
        var address = local + "@" + Surroundings.Pick(random, Domains);
        return random.Next(5) == 0 ? address.ToUpperInvariant() : address;
    }

    public static string EmailLookAlike(Random random) => random.Next(6) switch
    {
        0 => Surroundings.Pick(random, Names) + "@localhost",
        1 => "@" + Surroundings.Pick(random, Names),
        2 => Surroundings.Pick(random, Names) + "@@" + Surroundings.Pick(random, Domains),
        3 => Surroundings.Pick(random, Names) + "@example",
        4 => Surroundings.Pick(random, Names) + "@" + Surroundings.Pick(random, Domains).Split('.')[0] + ".c",
        _ => Surroundings.Pick(random, Names) + " at " + Surroundings.Pick(random, Domains),
    };

    public static string IPv4(Random random) =>
        string.Join('.', Enumerable.Range(0, 4).Select(i => random.Next(i == 0 ? 1 : 0, 256).ToString(CultureInfo.InvariantCulture)));

    public static string IPv4LookAlike(Random random) => random.Next(4) switch
    {
        0 => $"{random.Next(256, 999)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}",
        1 => $"{random.Next(10)}.{random.Next(20)}.{random.Next(100)}",
        2 => $"{IPv4(random)}.{random.Next(256)}",
        _ => $"v{IPv4(random)}",
    };

    public static string IPv6(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        switch (random.Next(4))
        {
            case 0:
                // A run of zero groups, so the canonical form compresses it.
                Array.Clear(bytes, 2 * random.Next(1, 5), 2 * random.Next(2, 4));
                break;
            case 1:
                bytes[0] = 0xfe;
                bytes[1] = 0x80;
                Array.Clear(bytes, 2, 6);
                break;
            case 2:
                Array.Clear(bytes, 0, 10);
                bytes[10] = bytes[11] = 0xff;
                break;
        }

        var address = new IPAddress(bytes);
        var text = random.Next(3) == 0 ? FullForm(bytes) : address.ToString();
        return random.Next(4) == 0 ? text.ToUpperInvariant() : text;
    }

    public static string IPv6LookAlike(Random random) => random.Next(5) switch
    {
        0 => "std::vector<int>",
        1 => $"{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}",
        2 => string.Join(':', Enumerable.Range(0, 9).Select(_ => random.Next(0x10000).ToString("x", CultureInfo.InvariantCulture))),
        3 => $"{random.Next(0x10000):x}::{random.Next(0x10000):x}::{random.Next(0x10000):x}",
        _ => "Foo::Bar::" + random.Next(100),
    };

    public static string Mac(Random random)
    {
        var bytes = new byte[6];
        random.NextBytes(bytes);
        var hex = Convert.ToHexString(bytes);
        hex = random.Next(2) == 0 ? hex.ToLowerInvariant() : hex;
        return random.Next(3) switch
        {
            0 => string.Join(':', hex.Chunk(2).Select(c => new string(c))),
            1 => string.Join('-', hex.Chunk(2).Select(c => new string(c))),
            _ => string.Join('.', hex.Chunk(4).Select(c => new string(c))),
        };
    }

    public static string MacLookAlike(Random random)
    {
        var pairs = Enumerable.Range(0, 8).Select(_ => random.Next(256).ToString("X2", CultureInfo.InvariantCulture)).ToArray();
        return random.Next(3) switch
        {
            0 => string.Join(':', pairs[..5]),
            1 => string.Join(':', pairs[..7]),
            _ => $"{pairs[0]}:{pairs[1]}-{pairs[2]}:{pairs[3]}-{pairs[4]}:{pairs[5]}",
        };
    }

    private static string FullForm(byte[] bytes) =>
        string.Join(':', Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).ToString("x4", CultureInfo.InvariantCulture)));
}
