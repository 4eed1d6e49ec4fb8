using Microsoft.Extensions.Logging;

namespace EdgeLlm.Guardrails;

/// <summary>The supervisor's log events (ids 8000-8099). Never the screened text: rule names, actions and counts only.</summary>
internal static partial class GuardrailsLog
{
    /// <summary>The audit trail's category: under <c>EdgeLlm.Audit</c>, so the daemon keeps it in the audit file.</summary>
    public const string AuditCategory = "EdgeLlm.Audit.Guardrails";

    [LoggerMessage(8000, LogLevel.Information, "Guardrail decision: policy {PolicyVersion}, rule {Rule}, action {Action}, direction {Direction}, {Count} hit(s), tenant {Tenant}, key {KeyId}")]
    public static partial void Decision(ILogger logger, string policyVersion, string rule, string action, string direction, int count, string? tenant, string? keyId);

    [LoggerMessage(8001, LogLevel.Information, "Guardrail policy {PolicyVersion} is in force ({Tenants} tenant policies), from {Source}")]
    public static partial void Activated(ILogger logger, string policyVersion, int tenants, string source);

    [LoggerMessage(8002, LogLevel.Warning, "Guard model gave no verdict ({Reason}) on {Direction}; policy {PolicyVersion} fails {FailureMode}")]
    public static partial void GuardUnavailable(ILogger logger, string reason, string direction, string policyVersion, string failureMode);
}
