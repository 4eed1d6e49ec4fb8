using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.VectorData;

/// <summary>
/// One stored chunk as a Microsoft.Extensions.VectorData record: what <see cref="ChunkVectorCollection"/>
/// reads, and what a site writes into another connector's collection when it moves a collection off the
/// appliance. The attributes describe the schema any connector needs; the vector's length differs per
/// collection, so pass <see cref="DefinitionFor"/> when getting a collection whose vectors are not
/// <see cref="DefaultDimensions"/> long (a definition overrides the attributes).
/// </summary>
public sealed class ChunkRecord
{
    /// <summary>
    /// The vector length the attribute declares, used when no definition says otherwise: 384, the length of
    /// the small sentence-embedding models (MiniLM, bge-small) an appliance typically runs.
    /// </summary>
    public const int DefaultDimensions = 384;

    /// <summary>The chunk's id in retrieval.db; also its full-text row id and its vector id.</summary>
    [VectorStoreKey]
    public long Id { get; set; }

    /// <summary>The document the chunk belongs to; indexed because "only this document" is the common filter.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string DocumentId { get; set; } = "";

    /// <summary>Position of the chunk in its document, from 0.</summary>
    [VectorStoreData]
    public int Ordinal { get; set; }

    /// <summary>The chunk's text; full-text indexed here (FTS5), so a target that can should index it too.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    /// <summary>The heading of the section the chunk came from, or empty.</summary>
    [VectorStoreData]
    public string Heading { get; set; } = "";

    /// <summary>Offset in the document's extracted text where the chunk starts, in characters.</summary>
    [VectorStoreData]
    public int Start { get; set; }

    /// <summary>Offset in the document's extracted text where the chunk ends (exclusive), in characters.</summary>
    [VectorStoreData]
    public int End { get; set; }

    /// <summary>The chunk's embedding as stored (not normalised); empty when the read did not ask for vectors.</summary>
    [VectorStoreVector(DefaultDimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Vector { get; set; }

    /// <summary>
    /// The schema of <see cref="ChunkRecord"/> with vectors of <paramref name="dimensions"/> floats compared by
    /// cosine similarity. The index kind is left to each connector (ours is exact or IVF by size; Qdrant knows
    /// only HNSW), so the same definition creates a working collection on either side of a migration.
    /// </summary>
    public static VectorStoreCollectionDefinition DefinitionFor(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        return new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Id), typeof(long)),
                new VectorStoreDataProperty(nameof(DocumentId), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(Ordinal), typeof(int)),
                new VectorStoreDataProperty(nameof(Text), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Heading), typeof(string)),
                new VectorStoreDataProperty(nameof(Start), typeof(int)),
                new VectorStoreDataProperty(nameof(End), typeof(int)),
                new VectorStoreVectorProperty(nameof(Vector), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.CosineSimilarity },
            ],
        };
    }
}
