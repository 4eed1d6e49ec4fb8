using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// Prepares the policy in force at start-up and every policy put in force later, off the request path: a request
/// arriving meanwhile builds what it needs itself, as it would without this.
/// </summary>
internal sealed class PolicyWarmUp(PolicyStore store, GuardrailEnforcer enforcer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Activated += Prepare;
        Prepare(store.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Activated -= Prepare;
        return Task.CompletedTask;
    }

    private void Prepare(GuardrailPolicySet policies) => _ = Task.Run(() => enforcer.Prepare(policies));
}
