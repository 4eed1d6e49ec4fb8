using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Telemetry;

/// <summary>Settings of metrics, the telemetry outbox and the MQTT uplink (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "Telemetry";

    private const string TopicSegment = "^[A-Za-z0-9_.-]{1,64}$";

    /// <summary>The SQLite file every telemetry record is written to before it is sent, normally <c>&lt;data-dir&gt;/outbox.db</c>.</summary>
    public string OutboxPath { get; set; } = "";

    /// <summary>Most bytes of records the outbox keeps; beyond it the oldest are dropped and counted. Default 64 MiB.</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long OutboxMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Records older than this are dropped unsent and counted. Default 14 days.</summary>
    public TimeSpan OutboxMaxAge { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often a snapshot of every metric is written to the outbox. Default 1 minute.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Host name or address of the MQTT broker; empty keeps the uplink off (records still accumulate, bounded). Default empty.</summary>
    public string? BrokerHost { get; set; }

    /// <summary>Port of the MQTT broker. Default 8883 with TLS, 1883 without.</summary>
    [Range(1, 65535)]
    public int? BrokerPort { get; set; }

    /// <summary>Connect to the broker over TLS. Default true; turn it off only on a trusted site network.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>PEM file of the CA that must have signed the broker's certificate; empty trusts the system's CAs. Default empty.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM file of this device's client certificate for mutual TLS; needs <c>ClientKeyPath</c>. Default none.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM file of the client certificate's private key. Default none.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>User name for the broker, if it wants one. Default none.</summary>
    public string? Username { get; set; }

    /// <summary>Password for the broker (set it through the environment, <c>EDGELLM__Telemetry__Password</c>). Never logged. Default none.</summary>
    public string? Password { get; set; }

    /// <summary>First topic level(s); topics are <c>&lt;root&gt;/&lt;site&gt;/&lt;device&gt;/</c> then <c>telemetry</c>, <c>events</c>, <c>status</c> or <c>cmd/…</c>. Default <c>edgellm</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}(/[A-Za-z0-9_.-]{1,64}){0,3}$")]
    public string TopicRoot { get; set; } = "edgellm";

    /// <summary>This device's site, the second topic level. Default <c>default</c>.</summary>
    [Required]
    [RegularExpression(TopicSegment)]
    public string Site { get; set; } = "default";

    /// <summary>This device's name, the third topic level and the MQTT client id's tail; empty means the host name. Default empty.</summary>
    [RegularExpression(TopicSegment)]
    public string? Device { get; set; }

    /// <summary>MQTT keep-alive: how often an idle link is checked. Default 30 s.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one connection attempt (TCP, TLS and CONNACK), or the wait for one acknowledgement, may take before the link is taken as down. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before reconnecting after a failure; doubled per failure, with jitter. Default 1 s.</summary>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnection attempts. Default 5 minutes.</summary>
    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most records in one published batch. Default 200.</summary>
    [Range(1, 10_000)]
    public int BatchMaxRecords { get; set; } = 200;

    /// <summary>Batches whose JSON is larger than this many bytes are sent gzip-compressed. Default 1024.</summary>
    [Range(0, int.MaxValue)]
    public int CompressionThresholdBytes { get; set; } = 1024;

    /// <summary>Average payload bytes per second the drain may send, so a reconnect after days offline does not flood the site link; 0 is unlimited. Default 128 KiB/s.</summary>
    [Range(0, long.MaxValue)]
    public long DrainBytesPerSecond { get; set; } = 128 * 1024;

    /// <summary>Largest downlink command accepted, in bytes; larger ones are ignored and logged. Default 4096.</summary>
    [Range(0, 1024 * 1024)]
    public int MaxCommandBytes { get; set; } = 4096;

    /// <summary>Downlink update-check commands closer together than this are ignored. Default 1 minute.</summary>
    public TimeSpan UpdateCheckMinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>OTLP collector endpoint for metrics and traces (e.g. <c>http://collector:4317</c>); empty keeps OTLP off. Default empty.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The port actually used: <see cref="BrokerPort"/>, else the protocol's default.</summary>
    public int EffectiveBrokerPort => BrokerPort ?? (UseTls ? 8883 : 1883);

    /// <summary>The device name actually used: <see cref="Device"/>, else the host name cut to a topic-safe form.</summary>
    public string EffectiveDevice => string.IsNullOrEmpty(Device) ? TopicName.FromHost(Environment.MachineName) : Device;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value, min) in new[]
        {
            (nameof(OutboxMaxAge), OutboxMaxAge, TimeSpan.FromMinutes(1)),
            (nameof(SnapshotInterval), SnapshotInterval, TimeSpan.FromSeconds(1)),
            (nameof(KeepAlive), KeepAlive, TimeSpan.FromSeconds(1)),
            (nameof(ConnectTimeout), ConnectTimeout, TimeSpan.FromMilliseconds(100)),
            (nameof(ReconnectDelayMin), ReconnectDelayMin, TimeSpan.FromMilliseconds(10)),
            (nameof(UpdateCheckMinInterval), UpdateCheckMinInterval, TimeSpan.Zero),
        })
        {
            if (value < min)
            {
                yield return new ValidationResult($"Telemetry:{name} must be at least {min}.", [name]);
            }
        }

        if (ReconnectDelayMax < ReconnectDelayMin)
        {
            yield return new ValidationResult("Telemetry:ReconnectDelayMax must not be less than ReconnectDelayMin.", [nameof(ReconnectDelayMax)]);
        }

        if (string.IsNullOrWhiteSpace(OutboxPath))
        {
            yield return new ValidationResult("Telemetry:OutboxPath is required.", [nameof(OutboxPath)]);
        }

        if (string.IsNullOrEmpty(ClientCertificatePath) != string.IsNullOrEmpty(ClientKeyPath))
        {
            yield return new ValidationResult("Telemetry:ClientCertificatePath and ClientKeyPath go together.", [nameof(ClientCertificatePath)]);
        }

        if (!UseTls && !string.IsNullOrEmpty(ClientCertificatePath + CaCertificatePath))
        {
            yield return new ValidationResult("Telemetry:CaCertificatePath and ClientCertificatePath need UseTls.", [nameof(UseTls)]);
        }

        foreach (var (name, path) in new[] { (nameof(CaCertificatePath), CaCertificatePath), (nameof(ClientCertificatePath), ClientCertificatePath), (nameof(ClientKeyPath), ClientKeyPath) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                yield return new ValidationResult($"Telemetry:{name} names a file that does not exist: {path}", [name]);
            }
        }

        if (OtlpEndpoint is { } otlp && (!otlp.IsAbsoluteUri || otlp.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Telemetry:OtlpEndpoint must be an absolute http(s) address.", [nameof(OtlpEndpoint)]);
        }
    }
}
