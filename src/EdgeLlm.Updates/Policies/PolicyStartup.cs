using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Updates.Policies;

/// <summary>
/// Puts the installed policy in force while the host starts, before the API listens, so no request is screened by
/// the configured file when a newer policy is installed (<see cref="PolicySwitch.ActivateInstalled"/>). A policy
/// promotion a restart interrupted is finished first, so the promoted version is the one put in force; a rollout
/// still running gets its candidate back once the models serve, as a model's does.
/// </summary>
internal sealed class PolicyStartup(PolicySwitch policies, RolloutTransitions transitions, InstallLock installLock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var held = await installLock.TakeAsync(cancellationToken);
        transitions.FinishInterruptedPromotions(RolloutKinds.Policy);
        policies.ActivateInstalled();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
