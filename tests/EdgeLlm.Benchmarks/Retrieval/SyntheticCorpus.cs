using System.Text;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// Text for store benchmarks: paragraphs of words drawn from a Zipf-like vocabulary (a few common words,
/// a long tail of rare ones, as in real manuals), so FTS5's posting lists have realistic shapes.
/// </summary>
internal sealed class SyntheticCorpus(int seed)
{
    private const int Vocabulary = 20_000;
    private readonly Random _random = new(seed);
    private readonly double[] _cumulative = Cumulative();

    public string Paragraph(int words)
    {
        var text = new StringBuilder(words * 8);
        for (var i = 0; i < words; i++)
        {
            text.Append(i == 0 ? "" : " ").Append(Word());
        }

        return text.ToString();
    }

    /// <summary>A query of a few words, mostly from the tail (people search for the specific words).</summary>
    public string Query() => string.Join(' ', Enumerable.Range(0, 4).Select(_ => Word(_random.Next(50, Vocabulary))));

    private string Word()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Word(index < 0 ? ~index : index);
    }

    private static string Word(int rank) => "w" + rank.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    private static double[] Cumulative()
    {
        var weights = Enumerable.Range(1, Vocabulary).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        var cumulative = new double[Vocabulary];
        var sum = 0.0;
        for (var i = 0; i < Vocabulary; i++)
        {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }

        return cumulative;
    }
}
