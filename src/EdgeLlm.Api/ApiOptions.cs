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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(RequestHeadersTimeout), RequestHeadersTimeout), (nameof(KeepAliveTimeout), KeepAliveTimeout), (nameof(SchedulerStallLimit), SchedulerStallLimit) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                yield return new ValidationResult($"Api:{name} must be between 0 and 1 hour.", [name]);
            }
        }
    }
}
