using EdgeLlm.Updates.Install;
using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Updates.Policies;

/// <summary>
/// Puts the installed policy in force while the host starts, before the API listens, so no request is screened by
/// the configured file when a newer policy is installed (<see cref="PolicySwitch.ActivateInstalled"/>).
/// </summary>
internal sealed class PolicyStartup(PolicySwitch policies, InstallLock installLock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var held = await installLock.TakeAsync(cancellationToken);
        policies.ActivateInstalled();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
