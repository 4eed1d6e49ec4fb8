using System.Globalization;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// The daemon's prefix-reuse and speculation counters for one model entry, read from <c>/metrics</c> (Prometheus text).
/// A counter the daemon does not export reads as null, so the report says n/a rather than 0.
/// </summary>
/// <param name="HitTokens">Prompt tokens started from kept cells instead of decoded.</param>
/// <param name="Proposed">Draft tokens checked.</param>
/// <param name="Accepted">Draft tokens the model agreed with (emitted without a step of their own).</param>
internal sealed record ReuseCounters(double? HitTokens, double? Proposed, double? Accepted)
{
    public const string HitTokensName = "edgellm_inference_prefix_cache_hit_tokens_total";
    public const string ProposedName = "edgellm_inference_speculation_proposed_tokens_total";
    public const string AcceptedName = "edgellm_inference_speculation_accepted_tokens_total";

    private static readonly Uri Metrics = new("metrics", UriKind.Relative);

    public static async Task<ReuseCounters> ReadAsync(HttpClient http, string model, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(Metrics, cancellationToken);
        var samples = Samples(text, model);
        return new ReuseCounters(samples.GetValueOrDefault(HitTokensName), samples.GetValueOrDefault(ProposedName), samples.GetValueOrDefault(AcceptedName));
    }

    /// <summary>What happened between <paramref name="before"/> and this reading; a counter first exported meanwhile started at 0.</summary>
    public ReuseCounters Since(ReuseCounters before) =>
        new(Delta(HitTokens, before.HitTokens), Delta(Proposed, before.Proposed), Delta(Accepted, before.Accepted));

    /// <summary>
    /// The sum over every sample of each counter that carries <c>model="<paramref name="model"/>"</c>; a counter is
    /// present (0) once the daemon exports it for any model.
    /// </summary>
    internal static Dictionary<string, double?> Samples(string text, string model)
    {
        var label = $"model=\"{model}\"";
        var sums = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (line.StartsWith('#') || brace < 0)
            {
                continue;
            }

            var name = line[..brace];
            if (name is not (HitTokensName or ProposedName or AcceptedName))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labels = line[brace..close];
            var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var value = labels.Contains(label, StringComparison.Ordinal) && fields.Length > 0
                ? double.Parse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture)
                : 0;
            sums[name] = (sums.GetValueOrDefault(name) ?? 0) + value;
        }

        return sums;
    }

    private static double? Delta(double? after, double? before) => after is { } a ? a - (before ?? 0) : null;
}
