using System.Net;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.WebConsole;

/// <summary>Console events. Sign-ins go to the audit trail's category, so the daemon keeps them in its audit file.</summary>
internal static partial class WebConsoleLog
{
    public const string AuditCategory = "EdgeLlm.Audit.Console";

    [LoggerMessage(2600, LogLevel.Information, "Console sign-in by key {KeyId} (tenant {Tenant}) from {RemoteAddress}")]
    public static partial void SignedIn(ILogger logger, string keyId, string tenant, IPAddress? remoteAddress);

    [LoggerMessage(2601, LogLevel.Warning, "Console sign-in refused from {RemoteAddress}: {Reason}")]
    public static partial void SignInRefused(ILogger logger, IPAddress? remoteAddress, string reason);

    [LoggerMessage(2602, LogLevel.Information, "Console sign-out by key {KeyId} from {RemoteAddress}")]
    public static partial void SignedOut(ILogger logger, string keyId, IPAddress? remoteAddress);
}
