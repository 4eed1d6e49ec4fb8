using System.ComponentModel.DataAnnotations;
using EdgeLlm.Updates.Rollouts;

namespace EdgeLlm.Updates;

/// <summary>Settings of signed updates (section <c>Updates</c>).</summary>
public sealed class UpdatesOptions : IValidatableObject
{
    public const string SectionName = "Updates";

    /// <summary>Folder of the minisign public keys (<c>*.pub</c>) allowed to sign bundles. Default <c>/etc/edgellm/trusted-keys</c>.</summary>
    [Required]
    public string TrustedKeysDirectory { get; set; } = "/etc/edgellm/trusted-keys";

    /// <summary>This device's class: a bundle is accepted only when its manifest's <c>target</c> is exactly this. Default <c>default</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")]
    public string DeviceClass { get; set; } = "default";

    /// <summary>Accept minisign's legacy, not prehashed <c>Ed</c> signatures (only for small files). Default false.</summary>
    public bool AllowLegacySignatures { get; set; }

    /// <summary>Install bundles put in <c>incoming/</c> (by a USB import, <c>scp</c> or <c>edgellm import</c>). Default true.</summary>
    public bool WatchIncoming { get; set; } = true;

    /// <summary>How long a bundle in <c>incoming/</c> must stay unchanged before it is read, so a copy in progress is never taken. Default 2 seconds.</summary>
    public TimeSpan IncomingSettleTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>URL of a published bundle folder to poll (HTTPS, or HTTP to a host in <c>PlainHttpHosts</c>). Default none: no pulling.</summary>
    public Uri? PullUrl { get; set; }

    /// <summary>Time between update checks at <c>PullUrl</c>. Default 1 hour.</summary>
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Wait before the check after one that failed (server unreachable, download cut off); it doubles with each
    /// failure in a row, up to <c>PullInterval</c>, and is jittered (between half and all of it). Default 1 minute.
    /// </summary>
    public TimeSpan PullRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Freeze protection: the newest verified channel index (<c>channel.json</c> beside the pulled bundle, signed
    /// like bundles) must have been issued within this long, or the feed is reported stale
    /// (<c>update_feed_stale</c>); an expired index is stale at once. Judged whenever the feed is read, so a server
    /// that stops answering cannot hold it at <c>ok</c>. Default 7 days.
    /// </summary>
    public TimeSpan MaxFeedAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the update server may take to send the channel index, the manifest or a signature, each whole; a
    /// server that accepts the connection and then says nothing fails the check (unreachable) instead of holding it.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan PullRequestTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an artifact download may go without receiving a byte before the connection counts as broken; it is
    /// then resumed from the bytes kept, as after a cut connection. Default 1 minute.
    /// </summary>
    public TimeSpan PullStallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Hosts that may be pulled from over plain HTTP (an intranet mirror without TLS). Default none.</summary>
    public List<string> PlainHttpHosts { get; set; } = [];

    /// <summary>Average download rate cap for pulls, in bytes per second; 0 means no cap. Default 0.</summary>
    [Range(0L, long.MaxValue)]
    public long PullBytesPerSecond { get; set; }

    /// <summary>Largest bundle accepted by <c>POST /admin/updates</c>, in bytes. Default 32 GiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 32L << 30;

    /// <summary>How long the probe of a new model (a separate <c>edgellm probe</c> process) may take. Default 3 minutes.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Start-ups allowed after an activation before it is confirmed; one more rolls back to the previous version. Default 3.</summary>
    [Range(1, 100)]
    public int MaxFailedStarts { get; set; } = 3;

    /// <summary>How long a newly activated version must serve (daemon up that long too) before it counts as good. Default 2 minutes.</summary>
    public TimeSpan ActivationGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Disk space installed versions and staging (the pull's kept downloads included) may use together, in bytes; 0
    /// means no cap. Versions other than the active and previous ones are always removed; over the cap, kept downloads
    /// go first, then previous versions, and a bundle that cannot fit next to the active versions is refused (a pulled
    /// one before it is downloaded). Default 0.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long DiskBudgetBytes { get; set; }

    /// <summary>
    /// A canary rollout's steps: the candidate's share of the model's requests at each, in percent, rising to 100.
    /// Empty means 5, 25, 50, 100. A rollout may bring its own (the admin call or the bundle's manifest).
    /// </summary>
    public List<int> RolloutSteps { get; set; } = [];

    /// <summary>How long each window of a rollout collects requests before the candidate is judged against the active version. Default 10 minutes.</summary>
    public TimeSpan RolloutInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests each version must have finished in a window to judge it; fewer holds the step (inconclusive). Default 20.</summary>
    [Range(1, 1_000_000)]
    public int RolloutMinSamples { get; set; } = 20;

    /// <summary>How much higher the candidate's error rate may be than the active version's, as a fraction (0.02 = 2 percentage points). Default 0.02.</summary>
    [Range(0.0, 1.0)]
    public double RolloutMaxErrorRateIncrease { get; set; } = 0.02;

    /// <summary>The candidate's time to first token (p95) may be at most this multiple of the active version's. Default 1.5.</summary>
    [Range(1.0, 100.0)]
    public double RolloutMaxTimeToFirstTokenRatio { get; set; } = 1.5;

    /// <summary>The candidate's generation speed (median tokens per second) must be at least this fraction of the active version's. Default 0.7.</summary>
    [Range(0.0, 1.0)]
    public double RolloutMinTokensPerSecondRatio { get; set; } = 0.7;

    /// <summary>How much higher the candidate's share of blocked answers (a model's: ended by the output guardrails; a policy's: requests it blocked) may be than the active version's, as a fraction. Default 0.02.</summary>
    [Range(0.0, 1.0)]
    public double RolloutMaxBlockedShareIncrease { get; set; } = 0.02;

    /// <summary>Windows with a failed check a rollout tolerates: reaching this many aborts it. Default 2.</summary>
    [Range(1, 100)]
    public int RolloutFailureLimit { get; set; } = 2;

    /// <summary>What keeps a client on one version during a rollout: <c>ApiKey</c> (else the <c>user</c> field) or <c>User</c> (else the API key). Default ApiKey.</summary>
    public RolloutStickiness RolloutStickyBy { get; set; } = RolloutStickiness.ApiKey;

    /// <summary>The steps a rollout takes when it brings none: <see cref="RolloutSteps"/>, or the default 5, 25, 50, 100.</summary>
    internal IReadOnlyList<int> EffectiveRolloutSteps => RolloutSteps.Count > 0 ? RolloutSteps : Rollouts.RolloutSteps.Default;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RolloutSteps.Count > 0 && Rollouts.RolloutSteps.Problem(RolloutSteps) is { } steps)
        {
            yield return new ValidationResult($"Updates:RolloutSteps: {steps}.", [nameof(RolloutSteps)]);
        }

        if (RolloutInterval < TimeSpan.FromSeconds(1) || RolloutInterval > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("Updates:RolloutInterval must be between 1 second and 7 days.", [nameof(RolloutInterval)]);
        }
        if (IncomingSettleTime < TimeSpan.Zero || IncomingSettleTime > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Updates:IncomingSettleTime must be between 0 and 1 hour.", [nameof(IncomingSettleTime)]);
        }

        if (PullInterval < TimeSpan.FromSeconds(1) || PullInterval > TimeSpan.FromDays(30))
        {
            yield return new ValidationResult("Updates:PullInterval must be between 1 second and 30 days.", [nameof(PullInterval)]);
        }

        if (PullUrl is not null && (!PullUrl.IsAbsoluteUri || PullUrl.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult("Updates:PullUrl must be an absolute http(s) URL.", [nameof(PullUrl)]);
        }

        if (PullRetryDelay < TimeSpan.FromSeconds(1) || PullRetryDelay > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Updates:PullRetryDelay must be between 1 second and 1 day.", [nameof(PullRetryDelay)]);
        }

        if (PullRequestTimeout < TimeSpan.FromSeconds(1) || PullRequestTimeout > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Updates:PullRequestTimeout must be between 1 second and 1 hour.", [nameof(PullRequestTimeout)]);
        }

        if (PullStallTimeout < TimeSpan.FromSeconds(1) || PullStallTimeout > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Updates:PullStallTimeout must be between 1 second and 1 hour.", [nameof(PullStallTimeout)]);
        }

        if (MaxFeedAge < TimeSpan.FromMinutes(1) || MaxFeedAge > TimeSpan.FromDays(365))
        {
            yield return new ValidationResult("Updates:MaxFeedAge must be between 1 minute and 365 days.", [nameof(MaxFeedAge)]);
        }

        if (ProbeTimeout < TimeSpan.FromSeconds(1) || ProbeTimeout > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Updates:ProbeTimeout must be between 1 second and 1 hour.", [nameof(ProbeTimeout)]);
        }

        if (ActivationGracePeriod < TimeSpan.Zero || ActivationGracePeriod > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Updates:ActivationGracePeriod must be between 0 and 1 day.", [nameof(ActivationGracePeriod)]);
        }
    }
}
