using System.Text;
using EdgeLlm.Guardrails.Redaction;

namespace EdgeLlm.Guardrails.Tests.Redaction;

/// <summary>
/// Feeds tokens through a filter and checks, after every token, what must hold at every instant of a stream: nothing
/// released contains a raw entity, what was released so far is a prefix of the expected answer, the held text stays
/// within the limit, and no released chunk splits a surrogate pair.
/// </summary>
internal static class StreamCheck
{
    public static (string Output, StreamingOutputFilter Filter) Run(
        Redactor redactor,
        IEnumerable<string> tokens,
        string expected,
        IReadOnlyList<string> rawEntities) =>
        Run(redactor.CreateStreamFilter(new RedactionScope()), tokens, expected, rawEntities);

    public static (string Output, StreamingOutputFilter Filter) Run(
        StreamingOutputFilter filter,
        IEnumerable<string> tokens,
        string expected,
        IReadOnlyList<string> rawEntities)
    {
        var released = new StringBuilder();
        foreach (var token in tokens)
        {
            Check(filter.Push(token), released, expected, rawEntities);
            Assert.InRange(filter.HeldLength, 0, filter.HoldBackLimit);
            if (filter.BlockedFamily is not null)
            {
                break;
            }
        }

        Check(filter.Complete(), released, expected, rawEntities);
        return (released.ToString(), filter);
    }

    private static void Check(StreamRelease release, StringBuilder released, string expected, IReadOnlyList<string> rawEntities)
    {
        var chunk = release.Text;
        if (chunk.Length > 0)
        {
            Assert.False(char.IsLowSurrogate(chunk[0]), "A released chunk starts with half a surrogate pair.");
            Assert.False(char.IsHighSurrogate(chunk[^1]), "A released chunk ends with half a surrogate pair.");
        }

        released.Append(chunk);
        var soFar = released.ToString();
        foreach (var entity in rawEntities)
        {
            Assert.DoesNotContain(entity, chunk, StringComparison.Ordinal);
            Assert.DoesNotContain(entity, soFar, StringComparison.Ordinal);
        }

        Assert.StartsWith(soFar, expected, StringComparison.Ordinal);
    }
}
