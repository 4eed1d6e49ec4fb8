using EdgeLlm.Retrieval.Ingestion;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>A token is a whitespace-separated word. Counts its calls, so tests can see how often the chunker asks.</summary>
internal sealed class WhitespaceTokenCounter : ITokenCounter
{
    public int Calls { get; private set; }

    public int CharactersCounted { get; private set; }

    public int CountTokens(string text)
    {
        Calls++;
        CharactersCounted += text.Length;
        return Count(text);
    }

    public static int Count(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
