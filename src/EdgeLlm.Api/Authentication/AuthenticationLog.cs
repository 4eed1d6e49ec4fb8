using System.Net;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Authentication;

/// <summary>
/// Log events of API-key authentication, ids 2100–2199. They name a key only by its id, never by its text
/// or secret, so the log can be shipped off the device without leaking credentials.
/// </summary>
internal static partial class AuthenticationLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug,
        Message = "Request to {Path} from {RemoteAddress} carried no API key")]
    public static partial void MissingApiKey(ILogger logger, string path, IPAddress? remoteAddress);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Request to {Path} from {RemoteAddress} carried an Authorization header that is not a Bearer EdgeLlm key")]
    public static partial void MalformedApiKey(ILogger logger, string path, IPAddress? remoteAddress);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Request to {Path} from {RemoteAddress} presented API key {KeyId}, refused: {Reason}")]
    public static partial void ApiKeyRefused(ILogger logger, string path, IPAddress? remoteAddress, string keyId, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "Request to {Path} from {RemoteAddress} presented revoked API key {KeyId}")]
    public static partial void RevokedApiKey(ILogger logger, string path, IPAddress? remoteAddress, string keyId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information,
        Message = "API key {KeyId} lacks scope {RequiredScopes} for {Path}")]
    public static partial void InsufficientScope(ILogger logger, string? keyId, string requiredScopes, string path);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information,
        Message = "Request to {Path} from {RemoteAddress} presented a console session that has ended")]
    public static partial void SessionRefused(ILogger logger, string path, IPAddress? remoteAddress);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} by console session of key {KeyId}: {Reason}")]
    public static partial void RequestForgeryRefused(ILogger logger, string method, string path, string keyId, string reason);

    /// <summary>For the host to log once at start-up when <see cref="ApiKeyAuthenticationOptions.Enabled"/> is off.</summary>
    [LoggerMessage(EventId = 2199, Level = LogLevel.Warning,
        Message = "API key authentication is DISABLED: every request acts for tenant '{Tenant}' with every scope. Use this only on a development data directory")]
    public static partial void AuthenticationDisabled(ILogger logger, string tenant);
}
