using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Xml;
using EdgeLlm.Updates.Rollouts;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// What a bundle says it is: identity, freshness and every artifact with its size and SHA-256; optionally a canary
/// rollout for its (one) model or policy instead of an activation.
/// </summary>
public sealed record BundleManifest(
    string Name,
    string Channel,
    long Sequence,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    string Target,
    IReadOnlyList<BundleArtifact> Artifacts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BundleRollout? Rollout = null);

/// <summary>
/// A manifest's <c>rollout</c>: the model or policy becomes a candidate beside the active version; each part left out comes from
/// the settings. <c>{ "steps": [5, 25, 50, 100], "interval": "PT10M", "sticky_by": "user" }</c> (interval as an
/// ISO 8601 duration, sticky_by <c>api_key</c> or <c>user</c>).
/// </summary>
public sealed record BundleRollout(IReadOnlyList<int>? Steps, TimeSpan? Interval, RolloutStickiness? StickyBy);

/// <summary>
/// One file of a bundle. <see cref="Kind"/> is <c>model</c>, <c>config</c>, <c>daemon</c> (a <c>.tar</c> of a published daemon) or
/// <c>policy</c> (a guardrail policy document, JSON).
/// </summary>
public sealed record BundleArtifact(string Kind, string Name, long Size, string Sha256);

/// <summary>Reads <c>manifest.json</c> strictly: a hostile manifest is refused with a reason, never half-read.</summary>
public static partial class BundleManifestReader
{
    public const int MaxManifestBytes = 1 << 20;
    public const int MaxArtifacts = 256;
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "model", "config", "daemon", "policy" };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 8,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static BundleManifest? TryRead(ReadOnlySpan<byte> json, out string? error)
    {
        if (json.Length > MaxManifestBytes)
        {
            error = $"manifest.json is larger than {MaxManifestBytes} bytes";
            return null;
        }

        ManifestDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<ManifestDto>(json, Json);
        }
        catch (JsonException ex)
        {
            error = "manifest.json is not a valid manifest: " + ex.Message;
            return null;
        }

        error = dto is null ? "manifest.json is empty" : Check(dto);
        BundleRollout? rollout = null;
        if (error is null && dto!.Rollout is { } asked)
        {
            (rollout, error) = ReadRollout(asked, dto.Artifacts!);
        }

        return error is null
            ? new BundleManifest(dto!.Name!, dto.Channel!, dto.Sequence!.Value, dto.Created!.Value, dto.Expires!.Value, dto.Target!,
                [.. dto.Artifacts!.Select(a => new BundleArtifact(a!.Kind!, a.Name!, a.Size!.Value, a.Sha256!.ToLowerInvariant()))], rollout)
            : null;
    }

    private static (BundleRollout?, string?) ReadRollout(RolloutDto asked, List<ArtifactDto?> artifacts)
    {
        if (artifacts is not [{ Kind: "model" or "policy" }])
        {
            return (null, "a rollout needs the bundle to carry exactly one artifact, a model or a policy");
        }

        if (asked.Steps is { } steps && RolloutSteps.Problem(steps) is { } problem)
        {
            return (null, "rollout: " + problem);
        }

        TimeSpan? interval = null;
        if (asked.Interval is { } text)
        {
            try
            {
                interval = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                return (null, "rollout: interval must be an ISO 8601 duration such as PT10M");
            }

            if (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(7))
            {
                return (null, "rollout: interval must be between 1 second and 7 days");
            }
        }

        if (asked.StickyBy is not (null or "api_key" or "user"))
        {
            return (null, "rollout: sticky_by must be api_key or user");
        }

        RolloutStickiness? stickyBy = asked.StickyBy switch
        {
            "api_key" => RolloutStickiness.ApiKey,
            "user" => RolloutStickiness.User,
            _ => null,
        };
        return (new BundleRollout(asked.Steps, interval, stickyBy), null);
    }

    /// <summary>A bundle, channel, target or artifact name: 1-128 of letters, digits, '.', '_', '-', not starting with '.'.</summary>
    public static bool IsSafeName(string? name) => name is not null && SafeName().IsMatch(name);

    private static string? Check(ManifestDto m)
    {
        if (!IsSafeName(m.Name) || !IsSafeName(m.Channel) || !IsSafeName(m.Target))
        {
            return "name, channel and target must each be 1-128 of letters, digits, '.', '_' or '-'";
        }

        if (m.Sequence is not > 0)
        {
            return "sequence must be a positive integer";
        }

        if (m.Created is null || m.Expires is null || m.Expires <= m.Created)
        {
            return "created and expires are required, and expires must be after created";
        }

        if (m.Artifacts is not { Count: > 0 and <= MaxArtifacts })
        {
            return $"artifacts must list 1-{MaxArtifacts} files";
        }

        foreach (var a in m.Artifacts)
        {
            if (a is null || !Kinds.Contains(a.Kind ?? "") || !IsSafeName(a.Name) || a.Size is not >= 0 || a.Sha256 is null || !Sha256Hex().IsMatch(a.Sha256))
            {
                return "every artifact needs a kind (model, config, daemon or policy), a safe name, a size and a 64-digit hex sha256";
            }
        }

        return m.Artifacts.Select(a => a!.Name).Distinct(StringComparer.Ordinal).Count() == m.Artifacts.Count ? null : "artifact names must be unique";
    }

    // \A…\z, not ^…$: .NET's $ also matches before a final "\n", which would let "name\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    [GeneratedRegex(@"\A[0-9a-fA-F]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();

    private sealed class ManifestDto
    {
        public string? Name { get; set; }

        public string? Channel { get; set; }

        public long? Sequence { get; set; }

        public DateTimeOffset? Created { get; set; }

        public DateTimeOffset? Expires { get; set; }

        public string? Target { get; set; }

        public List<ArtifactDto?>? Artifacts { get; set; }

        public RolloutDto? Rollout { get; set; }
    }

    private sealed class RolloutDto
    {
        public List<int>? Steps { get; set; }

        public string? Interval { get; set; }

        public string? StickyBy { get; set; }
    }

    private sealed class ArtifactDto
    {
        public string? Kind { get; set; }

        public string? Name { get; set; }

        public long? Size { get; set; }

        public string? Sha256 { get; set; }
    }
}
