using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Api;

/// <summary>Settings of the LAN API (section <c>Api</c>).</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>Addresses to listen on. Default <c>http://127.0.0.1:8080</c> (loopback only; open it to the LAN deliberately).</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Largest request body accepted, in bytes; larger bodies get 413. Default 1 MiB.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Most strings in one embeddings request. Default 256.</summary>
    [Range(1, 100_000)]
    public int MaxEmbeddingInputs { get; set; } = 256;

    /// <summary>Time a client has to send its request headers. Default 10 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time after which a keep-alive connection is closed. Default 2 minutes.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary><c>/readyz</c> fails when a scheduler loop has not completed a step or idle tick for this long. Default 30 s.</summary>
    public TimeSpan SchedulerStallLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Host names (the <c>Host</c> header, without port) requests may be addressed to; anything else gets 421, which
    /// defeats DNS rebinding. <c>*.example.com</c> matches subdomains; <c>*</c> allows any host. Default loopback
    /// only: add the appliance's LAN names and addresses when opening it to the LAN.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Browser origins allowed to call the API (CORS), e.g. <c>https://intranet.example.com</c>. Default none: CORS stays closed.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Requests per second each API key may make on average (a token bucket; unauthenticated requests are limited per client address); 0 turns limiting off. Default 50.</summary>
    [Range(0, 100_000)]
    public double RateLimitPerSecond { get; set; } = 50;

    /// <summary>Requests an API key may make in a burst above the average before getting 429. Default 100.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 100;

    /// <summary>Open connections allowed at once; more are refused by the server. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public long MaxConnections { get; set; } = 1000;

    /// <summary>Slowest request body upload accepted, in bytes per second (after a 5 s grace); slower clients are cut off. Default 240.</summary>
    [Range(1, 1L << 30)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Slowest reading of a response accepted, in bytes per second (after a 5 s grace); a client that stalls mid-stream is cut off and its generation stopped. Default 240.</summary>
    [Range(1, 1L << 30)]
    public double MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>
    /// A generation whose client has not taken the text already produced for this long is stopped, its sequence freed
    /// and its connection closed, so requests pipelined behind it never run. Measured at the generation's own output:
    /// text starts to wait once the connection's buffers are full, which for a stream (its socket keeps a 32 KiB send
    /// buffer) is after some tens of kilobytes. Default 30 s; more than 0, at most 1 hour.
    /// </summary>
    public TimeSpan StalledClientTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PEM certificate (chain) for HTTPS; required when <c>Urls</c> has an <c>https://</c> address. Default none.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM private key of <c>TlsCertificateFile</c>. Default none.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>Answer plain-HTTP requests with a redirect to the <c>https://</c> address in <c>Urls</c>. Default false.</summary>
    public bool RedirectHttpToHttps { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var https = Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (https && (string.IsNullOrWhiteSpace(TlsCertificateFile) || string.IsNullOrWhiteSpace(TlsKeyFile)))
        {
            yield return new ValidationResult("An https:// address in Api:Urls needs Api:TlsCertificateFile and Api:TlsKeyFile.", [nameof(TlsCertificateFile)]);
        }

        if (RedirectHttpToHttps && !https)
        {
            yield return new ValidationResult("Api:RedirectHttpToHttps needs an https:// address in Api:Urls.", [nameof(RedirectHttpToHttps)]);
        }

        if (AllowedHosts.Count == 0 || AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Api:AllowedHosts needs at least one host name ('*' allows any).", [nameof(AllowedHosts)]);
        }

        if (CorsOrigins.Any(o => !Uri.TryCreate(o, UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https") || origin.AbsolutePath != "/"))
        {
            yield return new ValidationResult("Api:CorsOrigins takes origins such as https://intranet.example.com (scheme, host and port only).", [nameof(CorsOrigins)]);
        }

        foreach (var (name, value) in new[] { (nameof(RequestHeadersTimeout), RequestHeadersTimeout), (nameof(KeepAliveTimeout), KeepAliveTimeout), (nameof(SchedulerStallLimit), SchedulerStallLimit), (nameof(StalledClientTimeout), StalledClientTimeout) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                yield return new ValidationResult($"Api:{name} must be between 0 and 1 hour.", [name]);
            }
        }
    }
}
