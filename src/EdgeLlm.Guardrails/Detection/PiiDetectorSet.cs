namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Every configured detector run over one text, their matches merged so no two overlap: where they do, the higher score
/// wins, then the longer match, then the earlier. It is itself a detector (family <c>pii</c>), so a streaming filter can
/// hold back <see cref="MaxMatchLength"/> for the whole set.
/// </summary>
public sealed class PiiDetectorSet : IEntityDetector
{
    private readonly IReadOnlyList<IEntityDetector> _detectors;

    public PiiDetectorSet(IEnumerable<IEntityDetector> detectors)
    {
        _detectors = detectors.ToArray();
        MaxMatchLength = _detectors.Count == 0 ? 0 : _detectors.Max(d => d.MaxMatchLength);
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

    public IEnumerable<EntityMatch> Find(string text) => Resolve(_detectors.SelectMany(d => d.Find(text)));

    /// <summary>The matches that survive overlap resolution, in text order.</summary>
    public static IReadOnlyList<EntityMatch> Resolve(IEnumerable<EntityMatch> matches)
    {
        var ranked = matches.ToList();
        ranked.Sort(ByPriority);

        // Kept in text order, so a candidate need only be checked against its neighbours: kept matches never overlap.
        var kept = new List<EntityMatch>(ranked.Count);
        foreach (var candidate in ranked)
        {
            var at = kept.BinarySearch(candidate, ByStart);
            var index = at >= 0 ? at : ~at;
            var overlapsPrevious = index > 0 && kept[index - 1].End > candidate.Start;
            var overlapsNext = index < kept.Count && kept[index].Start < candidate.End;
            if (!overlapsPrevious && !overlapsNext)
            {
                kept.Insert(index, candidate);
            }
        }

        return kept;
    }

    private static readonly Comparison<EntityMatch> ByPriority = (a, b) =>
        b.Score != a.Score ? b.Score.CompareTo(a.Score)
        : b.Length != a.Length ? b.Length.CompareTo(a.Length)
        : a.Start.CompareTo(b.Start);

    private static readonly Comparer<EntityMatch> ByStart = Comparer<EntityMatch>.Create((a, b) => a.Start.CompareTo(b.Start));
}
