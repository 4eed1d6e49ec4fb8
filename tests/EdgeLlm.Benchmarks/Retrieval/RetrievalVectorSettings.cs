using System.Globalization;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>The command line of the retrieval-vectors mode.</summary>
internal sealed record RetrievalVectorSettings(IReadOnlyList<int> Sizes, int Queries, int Dimensions, int Clusters)
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks retrieval-vectors [--sizes N,N,...] [--queries N]
          --sizes    collection sizes to measure, comma-separated (default 10000,100000,1000000)
          --queries  distinct queries per size; the exact scan runs each once, the index each 5 times (default 200)
        Vectors are 384-dimensional, around 1000 cluster centres.
        """;

    public static RetrievalVectorSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new RetrievalVectorSettings([10_000, 100_000, 1_000_000], 200, 384, 1000);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--sizes" => settings with { Sizes = value.Split(',').Select(size => Positive(name, size)).ToArray() },
                "--queries" => settings with { Queries = Positive(name, value) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return settings;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} takes positive whole numbers, not '{value}'.");
}
