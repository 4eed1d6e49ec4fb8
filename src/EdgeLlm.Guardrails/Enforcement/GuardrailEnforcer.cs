using System.Runtime.CompilerServices;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// Starts each request's guardrails from the policy in force: the tenant's own, else the default. A policy's
/// detectors are built the first time one of its requests arrives and kept as long as the policy is.
/// </summary>
public sealed class GuardrailEnforcer
{
    private readonly PolicyStore _store;
    private readonly string _phoneRegion;
    private readonly IGuardModel? _guard;
    private readonly DecisionRecorder _recorder;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<GuardrailPolicy, EnforcedPolicy> _enforced = [];

    public GuardrailEnforcer(PolicyStore store, IOptions<GuardrailsOptions> options, ILoggerFactory loggers, IGuardModel? guard = null)
    {
        _store = store;
        _phoneRegion = options.Value.PhoneRegion;
        _guard = guard;
        _recorder = new DecisionRecorder(loggers.CreateLogger(GuardrailsLog.AuditCategory));
        _logger = loggers.CreateLogger<GuardrailEnforcer>();
    }

    /// <summary>The policy set in force now.</summary>
    public GuardrailPolicySet Current => _store.Current;

    /// <summary>A request's guardrails, for the tenant and key that sent it (both null without authentication).</summary>
    public GuardrailSession Begin(string? tenant, string? keyId)
    {
        var policy = _store.For(tenant);
        var enforced = _enforced.GetValue(policy, p => new EnforcedPolicy(p, _phoneRegion));
        return new GuardrailSession(enforced, tenant, keyId, _recorder, _guard, _logger);
    }
}
