using System.Text;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>Markdown manuals of synthetic text: 12 sections of four 60-word paragraphs each.</summary>
internal static class SyntheticDocuments
{
    public static byte[] Manual(int seed)
    {
        var corpus = new SyntheticCorpus(seed);
        var text = new StringBuilder($"# Manual {seed}\n\n");
        for (var section = 0; section < 12; section++)
        {
            text.Append("## Section ").Append(section).Append("\n\n");
            for (var paragraph = 0; paragraph < 4; paragraph++)
            {
                text.Append(corpus.Paragraph(60)).Append("\n\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
