using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Edge;

/// <summary>
/// Writes the audit trail (category <c>EdgeLlm.Audit</c>, which the daemon keeps in its own file): every request
/// under <c>/admin</c> with the key that made it and the outcome, and every request refused for security reasons
/// (no or bad key, missing scope, unknown host, rate limit). Outermost, so it sees the final status.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, ILoggerFactory loggers, AuditTrail trail, TimeProvider time)
{
    public const string Category = "EdgeLlm.Audit";
    private readonly ILogger _audit = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            TryWrite(context);
        }
    }

    /// <summary>A log sink that fails (a full log disk) must not turn the answer into an error: the line is counted as lost.</summary>
    private void TryWrite(HttpContext context)
    {
        try
        {
            Write(context);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ErrorsMetrics.RecordLost("audit");
        }
    }

    private void Write(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var keyId = context.User.GetApiKeyId();
        if (request.Path.StartsWithSegments("/admin", StringComparison.Ordinal))
        {
            AuditLog.AdminRequest(_audit, keyId, context.User.GetTenant(), request.Method, request.Path.Value ?? "", status, context.Connection.RemoteIpAddress);
            trail.Record(new AuditEntry(time.GetUtcNow(), "admin", keyId, context.User.GetTenant(), request.Method, request.Path.Value ?? "", status,
                context.Items.TryGetValue(ApiError.CodeItem, out var adminCode) ? adminCode as string : null, context.Connection.RemoteIpAddress?.ToString()));
        }
        else if (context.Items.TryGetValue(ApiError.CodeItem, out var code) && code is string refusal && SecurityCodes.Contains(refusal))
        {
            AuditLog.Refused(_audit, request.Method, request.Path.Value ?? "", status, refusal, keyId, context.Connection.RemoteIpAddress, request.Host.Host);
            trail.Record(new AuditEntry(time.GetUtcNow(), "refused", keyId, context.User.GetTenant(), request.Method, request.Path.Value ?? "", status, refusal, context.Connection.RemoteIpAddress?.ToString()));
        }
    }

    private static readonly HashSet<string> SecurityCodes = new(StringComparer.Ordinal)
    {
        ErrorCodes.MissingApiKey, ErrorCodes.InvalidApiKey, ErrorCodes.ExpiredApiKey, ErrorCodes.InsufficientScope, ErrorCodes.HostNotAllowed, ErrorCodes.RateLimited,
        ErrorCodes.InvalidPath, ErrorCodes.InvalidSession, ErrorCodes.CsrfTokenInvalid,
    };
}

internal static partial class AuditLog
{
    [LoggerMessage(2200, LogLevel.Information, "Admin request by key {KeyId} (tenant {Tenant}): {Method} {Path} answered {Status}, from {RemoteAddress}")]
    public static partial void AdminRequest(ILogger logger, string? keyId, string? tenant, string method, string path, int status, System.Net.IPAddress? remoteAddress);

    [LoggerMessage(2201, LogLevel.Warning, "Refused {Method} {Path} with {Status} {Code} (key {KeyId}, from {RemoteAddress}, host {Host})")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string code, string? keyId, System.Net.IPAddress? remoteAddress, string host);
}
