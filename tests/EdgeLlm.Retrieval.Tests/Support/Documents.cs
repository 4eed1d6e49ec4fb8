using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>Documents and chunks for store tests; vectors are 4-dimensional and distinct per chunk.</summary>
internal static class Documents
{
    public static DocumentInfo Info(string collectionId, string id, string? source = null, params string[] tags) =>
        new(collectionId, id, id + " title", source, "text/plain", tags, 100, new string('0', 64), 0, default, default);

    public static ChunkToStore[] Chunks(params string[] texts) =>
        [.. texts.Select((text, i) => new ChunkToStore(i, text, "", i * 10, i * 10 + text.Length, text.Length / 4 + 1, [1 + i, 2, 3, 4]))];
}
