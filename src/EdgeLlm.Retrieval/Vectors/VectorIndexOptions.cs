using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// When a collection's vectors are searched exactly and when through the approximate index, and how hard
/// the approximate index looks. The defaults reach recall@10 ≥ 0.95 against the exact scan on clustered
/// 384-dimensional vectors (see the retrieval-vectors benchmark).
/// </summary>
public sealed class VectorIndexOptions
{
    public const int DefaultParallelScanFrom = 50_000;

    /// <summary>
    /// Vectors from which a collection trains its approximate index and searches through it; below this
    /// every search is an exact scan. 0 turns the approximate index off. Default 20 000 (where an exact
    /// scan of 384-dimensional vectors starts to cost more than a millisecond per core).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int ApproximateFrom { get; set; } = 20_000;

    /// <summary>Vectors from which one exact scan is spread over all cores. Default 50 000.</summary>
    [Range(1, int.MaxValue)]
    public int ParallelScanFrom { get; set; } = DefaultParallelScanFrom;

    /// <summary>
    /// Share of the inverted lists (about √N of them) probed per search; more probes, higher recall, slower.
    /// Default 0.05; never fewer than <see cref="MinProbes"/>.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ProbedShare { get; set; } = 0.05;

    /// <summary>Fewest inverted lists probed per search. Default 8.</summary>
    [Range(1, int.MaxValue)]
    public int MinProbes { get; set; } = 8;

    /// <summary>Candidates kept from the 8-bit scan per hit asked for, then re-scored with the float vectors. Default 10.</summary>
    [Range(1, 1000)]
    public int RerankFactor { get; set; } = 10;

    /// <summary>
    /// Growth since the last training that makes the index retrain (k-means on the larger collection). Until
    /// then new vectors join their nearest list. Default 2 (retrain at twice the size it was trained at).
    /// </summary>
    [Range(1.1, 100.0)]
    public double RetrainGrowth { get; set; } = 2.0;

    /// <summary>
    /// Candidate ids up to which <see cref="IVectorIndex.SearchAmong"/> scores each one exactly; more are
    /// searched approximately with the ids as a filter. Default 5 000 (about the cost of one approximate search).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int ExactCandidateLimit { get; set; } = 5_000;

    /// <summary>Seed of the k-means sample and seeding, so rebuilding from the same vectors gives the same index. Default 1.</summary>
    public int TrainingSeed { get; set; } = 1;
}
