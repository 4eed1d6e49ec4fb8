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

    /// <summary>
    /// The MQTT broker: <c>mqtts://host[:port]</c> (TLS, port 8883 unless given) or <c>mqtt://host[:port]</c> (plain,
    /// port 1883; only on a trusted site network). Empty keeps the uplink off (records still accumulate, bounded). Default empty.
    /// </summary>
    public Uri? BrokerUri { get; set; }

    /// <summary>User name for the broker, if it wants one. Default none.</summary>
    public string? Username { get; set; }

    /// <summary>Secret file holding the broker password (one line), or <c>credential:NAME</c> for a systemd credential. Never logged. Default none.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>PEM file of the CA that must have signed the broker's certificate; empty trusts the system's CAs. Default empty.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>PEM file of this device's client certificate for mutual TLS; needs <c>ClientKeyFile</c>. Default none.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>Secret PEM file of the client certificate's private key, or <c>credential:NAME</c>. Default none.</summary>
    public string? ClientKeyFile { get; set; }

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

    /// <summary>Whether the uplink is on: a broker is configured.</summary>
    public bool UplinkEnabled => BrokerUri is not null;

    /// <summary>Whether the broker is reached over TLS (<c>mqtts://</c>).</summary>
    public bool UseTls => BrokerUri is { IsAbsoluteUri: true, Scheme: "mqtts" };

    /// <summary>The broker's host name or address, without brackets around an IPv6 address.</summary>
    public string BrokerHost => BrokerUri is { IsAbsoluteUri: true } uri ? uri.IdnHost : "";

    /// <summary>The port actually used: the one in <see cref="BrokerUri"/>, else the protocol's default.</summary>
    public int EffectiveBrokerPort => BrokerUri is { IsAbsoluteUri: true, IsDefaultPort: false, Port: > 0 } uri ? uri.Port : UseTls ? 8883 : 1883;

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

        if (BrokerUri is { } broker && (!broker.IsAbsoluteUri || broker.Scheme is not ("mqtt" or "mqtts") || broker.IdnHost.Length == 0
            || broker.AbsolutePath != "/" || broker.Query.Length > 0 || broker.UserInfo.Length > 0))
        {
            yield return new ValidationResult("Telemetry:BrokerUri must be mqtts://host[:port] or mqtt://host[:port] (no path, no user name: see Telemetry:Username).", [nameof(BrokerUri)]);
        }

        if (string.IsNullOrEmpty(ClientCertificateFile) != string.IsNullOrEmpty(ClientKeyFile))
        {
            yield return new ValidationResult("Telemetry:ClientCertificateFile and ClientKeyFile go together.", [nameof(ClientCertificateFile)]);
        }

        if (!UseTls && !string.IsNullOrEmpty(ClientCertificateFile + CaCertificateFile))
        {
            yield return new ValidationResult("Telemetry:CaCertificateFile and ClientCertificateFile need an mqtts:// Telemetry:BrokerUri.", [nameof(BrokerUri)]);
        }

        if (!string.IsNullOrEmpty(PasswordFile) && string.IsNullOrEmpty(Username))
        {
            yield return new ValidationResult("Telemetry:PasswordFile needs Telemetry:Username.", [nameof(Username)]);
        }

        foreach (var (name, path) in new[] { (nameof(PasswordFile), PasswordFile), (nameof(CaCertificateFile), CaCertificateFile), (nameof(ClientCertificateFile), ClientCertificateFile), (nameof(ClientKeyFile), ClientKeyFile) })
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
