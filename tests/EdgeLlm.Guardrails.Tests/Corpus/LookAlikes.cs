using System.Globalization;

namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>
/// Text full of numbers that are no personal data: order numbers, timestamps, version strings, ISBNs, dates, UUIDs,
/// prices, tracking codes. No detector should find anything in them at a detection score.
/// </summary>
internal static class LookAlikes
{
    public static CorpusItem Next(Random random)
    {
        var text = random.Next(10) switch
        {
            0 => $"Order #{random.Next(10000000, 99999999)} shipped",
            1 => $"at {2000 + random.Next(30)}-{random.Next(1, 13):00}-{random.Next(1, 29):00} {random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}",
            2 => $"{2000 + random.Next(30)}-{random.Next(1, 13):00}-{random.Next(1, 29):00}T{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}Z",
            3 => $"upgraded to v{random.Next(10)}.{random.Next(30)}.{random.Next(100)} (build {random.Next(10, 30)}.{random.Next(10)}.{random.Next(10000, 30000)}.{random.Next(1000)})",
            4 => random.Next(2) == 0 ? "ISBN 978-3-16-148410-0" : $"ISBN 0-{random.Next(100, 999)}-{random.Next(10000, 99999)}-{random.Next(10)}",
            5 => $"due {random.Next(1, 29):00}.{random.Next(1, 13):00}.{2000 + random.Next(30)} or {random.Next(1, 13):00}/{random.Next(1, 29):00}/{2000 + random.Next(30)}",
            6 => $"id {DeterministicGuid(random)}",
            7 => $"total ${random.Next(1, 999)},{random.Next(1000):000}.{random.Next(100):00} or EUR {random.Next(1, 99)}.{random.Next(1000):000},{random.Next(100):00}",
            8 => $"tracking 1Z{random.Next(100, 999)}AA{random.Next(10000000, 99999999)}{random.Next(10)}",
            _ => $"invoice {random.Next(1000, 9999)}/{random.Next(10000, 99999)} line {random.Next(100)} qty {random.Next(1, 500)}",
        };
        return new CorpusItemBuilder().Entity(null, text).Build();
    }

    private static string DeterministicGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D", CultureInfo.InvariantCulture);
    }
}
