using System.Runtime.CompilerServices;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// Starts each request's guardrails from the policy in force (or a canary's candidate, as its split says): the
/// tenant's own, else the default. A policy's detectors are built the first time one of its requests arrives and kept
/// as long as the policy is.
/// </summary>
public sealed class GuardrailEnforcer
{
    private readonly PolicyStore _store;
    private readonly string _phoneRegion;
    private readonly IGuardModel? _guard;
    private readonly DecisionRecorder _recorder;
    private readonly PolicyOutcomes _outcomes;
    private readonly ILogger _logger;
    // Digits, separators and an '@' reach every detector's candidate scan without making an entity.
    private const string WarmUpText = "Warm-up: 12 34, 5.6 and 7:8 at noon; x@ y - 90 12.";

    private readonly ConditionalWeakTable<GuardrailPolicy, EnforcedPolicy> _enforced = [];

    public GuardrailEnforcer(PolicyStore store, IOptions<GuardrailsOptions> options, ILoggerFactory loggers, IGuardModel? guard = null, PolicyOutcomes? outcomes = null)
    {
        _store = store;
        _outcomes = outcomes ?? new PolicyOutcomes(TimeProvider.System);
        _phoneRegion = options.Value.PhoneRegion;
        _guard = guard;
        _recorder = new DecisionRecorder(loggers.CreateLogger(GuardrailsLog.AuditCategory));
        _logger = loggers.CreateLogger<GuardrailEnforcer>();
    }

    /// <summary>The policy set in force now.</summary>
    public GuardrailPolicySet Current => _store.Current;

    /// <summary>
    /// Builds every policy of <paramref name="policies"/> and runs its detectors once on a text holding no entity, so the
    /// first request after a start or an install does not pay for compiling them (hundreds of milliseconds).
    /// </summary>
    public void Prepare(GuardrailPolicySet policies)
    {
        foreach (var policy in policies.Tenants.Values.Prepend(policies.Default))
        {
            var enforced = _enforced.GetValue(policy, p => new EnforcedPolicy(p, _phoneRegion));
            foreach (var direction in Enum.GetValues<GuardrailDirection>())
            {
                enforced.RedactorFor(direction)?.Redact(WarmUpText, new Redaction.RedactionScope());
            }
        }
    }

    /// <summary>
    /// A request's guardrails, for the tenant and key that sent it (both null without authentication) and the
    /// request's <c>user</c> field, which a policy canary may split by.
    /// </summary>
    public GuardrailSession Begin(string? tenant, string? keyId, string? user = null)
    {
        var choice = _store.Choose(tenant, keyId, user);
        var enforced = _enforced.GetValue(choice.Policy, p => new EnforcedPolicy(p, _phoneRegion));
        return new GuardrailSession(enforced, choice.Side, tenant, keyId, _recorder, _outcomes, _guard, _logger);
    }
}
