using System.Buffers;
using System.Runtime.InteropServices;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Every configured detector run over one text, their matches merged so no two overlap: where they do, the higher score
/// wins, then the longer match, then the earlier. It is itself a detector (family <c>pii</c>), so a streaming filter can
/// hold back <see cref="MaxMatchLength"/> for the whole set.
/// </summary>
public sealed class PiiDetectorSet : IEntityDetector
{
    private readonly IReadOnlyList<IEntityDetector> _detectors;
    private readonly bool _readsDigitRuns;

    public PiiDetectorSet(IEnumerable<IEntityDetector> detectors)
    {
        _detectors = detectors.ToArray();
        MaxMatchLength = _detectors.Count == 0 ? 0 : _detectors.Max(d => d.MaxMatchLength);
        _readsDigitRuns = _detectors.Any(d => d is IDigitRunDetector);
    }

    /// <summary>Builds the detectors the options name.</summary>
    /// <exception cref="ArgumentException">An unknown family, phone region or unusable custom pattern (named in the message).</exception>
    public static PiiDetectorSet Create(PiiDetectorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.ContextWindow);
        var detectors = new List<IEntityDetector>();
        foreach (var family in options.Families.Distinct(StringComparer.Ordinal))
        {
            var context = new ContextWords(
                options.ContextWords.TryGetValue(family, out var words) ? words : DefaultContextWords.For(family),
                options.ContextWindow);
            detectors.Add(family switch
            {
                PiiFamilies.Email => new EmailDetector(context),
                PiiFamilies.Phone => new PhoneNumberDetector(options.PhoneRegion, context),
                PiiFamilies.Iban => new IbanDetector(context),
                PiiFamilies.Card => new PaymentCardDetector(context),
                PiiFamilies.IPv4 => new IPv4Detector(context),
                PiiFamilies.IPv6 => new IPv6Detector(context),
                PiiFamilies.Mac => new MacAddressDetector(context),
                _ => throw new ArgumentException($"Unknown detector family '{family}'; known: {string.Join(", ", PiiFamilies.BuiltIn)}.", nameof(options)),
            });
        }

        detectors.AddRange(options.CustomPatterns.Select(p => new CustomPatternDetector(p, options.ContextWindow)));
        return new PiiDetectorSet(detectors);
    }

    public string Family => "pii";

    public int MaxMatchLength { get; }

    public IReadOnlyList<IEntityDetector> Detectors => _detectors;

    public IEnumerable<EntityMatch> Find(string text)
    {
        // The number detectors share one scan for the text's digit runs.
        using var runs = _readsDigitRuns ? DigitRuns.Of(text) : null;
        var found = new List<EntityMatch>[_detectors.Count];
        for (var i = 0; i < found.Length; i++)
        {
            var matches = _detectors[i] is IDigitRunDetector reader && runs is not null ? reader.Find(text, runs) : _detectors[i].Find(text);
            found[i] = matches as List<EntityMatch> ?? matches.ToList();
        }

        return Resolve(found);
    }

    /// <summary>
    /// The matches that survive overlap resolution, in text order: taken in priority order, each kept unless it overlaps
    /// one kept before it.
    /// </summary>
    public static IReadOnlyList<EntityMatch> Resolve(IEnumerable<EntityMatch> matches) => Resolve([matches as List<EntityMatch> ?? matches.ToList()]);

    // A match-dense text has thousands of matches: their starts are sorted as numbers (a fraction of the cost of
    // comparing matches), in pooled buffers (one the size of the matches would be a large-object allocation per call).
    private static List<EntityMatch> Resolve(List<EntityMatch>[] found)
    {
        var count = found.Sum(f => f.Count);
        var all = ArrayPool<EntityMatch>.Shared.Rent(count);
        var keys = ArrayPool<long>.Shared.Rent(count);
        try
        {
            var at = 0;
            foreach (var matches in found)
            {
                foreach (var match in CollectionsMarshal.AsSpan(matches))
                {
                    keys[at] = ((long)match.Start << 32) | (uint)at;
                    all[at++] = match;
                }
            }

            // Matches with equal starts come in any order: they always share a cluster.
            keys.AsSpan(0, count).Sort();
            return Resolve(keys.AsSpan(0, count), all);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<EntityMatch>.Shared.Return(all, clearArray: true);
        }
    }

    private static List<EntityMatch> Resolve(ReadOnlySpan<long> byStart, EntityMatch[] matches)
    {
        // Only matches joined by a chain of overlaps compete: each such cluster is resolved on its own, in priority
        // order, and most matches are alone in theirs. (Resolving all of them in one priority-ordered list kept in text
        // order cost a list insertion per match, quadratic on match-dense text.)
        var kept = new List<EntityMatch>(byStart.Length);
        var cluster = new List<EntityMatch>();
        var clusterEnd = -1;
        foreach (var key in byStart)
        {
            var match = matches[(int)(key & uint.MaxValue)];
            if (match.Start >= clusterEnd)
            {
                ResolveCluster(cluster, kept);
                cluster.Clear();
            }

            cluster.Add(match);
            clusterEnd = Math.Max(clusterEnd, match.End);
        }

        ResolveCluster(cluster, kept);
        return kept;
    }

    private static void ResolveCluster(List<EntityMatch> cluster, List<EntityMatch> kept)
    {
        if (cluster.Count <= 1)
        {
            kept.AddRange(cluster);
            return;
        }

        cluster.Sort(ByPriority);
        var winners = new List<EntityMatch>(cluster.Count);
        foreach (var candidate in cluster)
        {
            if (!winners.Exists(w => w.Start < candidate.End && candidate.Start < w.End))
            {
                winners.Add(candidate);
            }
        }

        winners.Sort(ByStart);
        kept.AddRange(winners);
    }

    // Ties fall to the family's name, so two detectors' equal matches resolve the same way whatever order they came in.
    private static readonly Comparison<EntityMatch> ByPriority = (a, b) =>
        b.Score != a.Score ? b.Score.CompareTo(a.Score)
        : b.Length != a.Length ? b.Length.CompareTo(a.Length)
        : a.Start != b.Start ? a.Start.CompareTo(b.Start)
        : string.CompareOrdinal(a.Family, b.Family);

    private static readonly Comparison<EntityMatch> ByStart = (a, b) => a.Start.CompareTo(b.Start);
}
