using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Edge;

/// <summary>
/// The hardened LAN edge: server limits against slow and greedy clients, TLS from certificate files, a token
/// bucket per API key, CORS closed unless configured, the path guard, the host allow-list and the audit trail.
/// </summary>
internal static class EdgeProtection
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static void AddEdgeProtection(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
        {
            var settings = api.Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = settings.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = settings.KeepAliveTimeout;
            kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(settings.MinRequestBodyBytesPerSecond, Grace);
            kestrel.Limits.MinResponseDataRate = new MinDataRate(settings.MinResponseBytesPerSecond, Grace);
            if (!string.IsNullOrWhiteSpace(settings.TlsCertificateFile) && !string.IsNullOrWhiteSpace(settings.TlsKeyFile))
            {
                var certificate = X509Certificate2.CreateFromPemFile(settings.TlsCertificateFile, settings.TlsKeyFile);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        services.AddCors();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PartitionFor);
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                await new ApiError(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    "Too many requests for this API key; slow down.", RetryAfter: retry).ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    public static void UseEdgeProtection(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.UseMiddleware<AuditMiddleware>();
        app.UseMiddleware<PathGuard>();
        app.UseMiddleware<HostAllowList>();
        if (settings.RedirectHttpToHttps)
        {
            var port = settings.Urls.Split(';', StringSplitOptions.TrimEntries).Select(u => new Uri(u.Replace("*", "0.0.0.0", StringComparison.Ordinal)))
                .First(u => u.Scheme == Uri.UriSchemeHttps).Port;
            app.Use(async (context, next) =>
            {
                if (context.Request.IsHttps)
                {
                    await next(context);
                    return;
                }

                var target = $"https://{context.Request.Host.Host}:{port.ToString(CultureInfo.InvariantCulture)}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
                context.Response.Redirect(target, permanent: false, preserveMethod: true);
            });
        }

        if (settings.CorsOrigins.Count > 0)
        {
            app.UseCors(cors => cors.WithOrigins([.. settings.CorsOrigins]).WithMethods("GET", "POST", "DELETE").WithHeaders("Authorization", "Content-Type"));
        }
    }

    /// <summary>A bucket per API key; requests without a valid key share one per client address; health probes are never limited.</summary>
    private static RateLimitPartition<string> PartitionFor(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        var path = context.Request.Path;
        if (settings.RateLimitPerSecond <= 0 || path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path.StartsWithSegments("/readyz", StringComparison.Ordinal))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var partition = context.User.GetApiKeyId() is { } keyId ? "key:" + keyId : "ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.RateLimitBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(settings.RateLimitPerSecond)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, Math.Round(settings.RateLimitPerSecond)) / settings.RateLimitPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
