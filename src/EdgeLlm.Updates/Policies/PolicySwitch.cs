using EdgeLlm.Guardrails;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Policies;

/// <summary>
/// Puts an installed policy version in force in the running daemon: the file is read and compiled again and the
/// <see cref="PolicyStore"/> swaps the whole set, so requests already running finish under the version they started
/// with and no restart is needed. What applies when no installed version reads is the configured
/// <c>Guardrails:PolicyFile</c>, else no policy.
/// </summary>
public sealed class PolicySwitch(PolicyStore store, UpdateStateStore state, IOptions<GuardrailsOptions> guardrails, ILogger<PolicySwitch> logger)
{
    /// <summary>The version the configured file stands for in the catalog, so the first installed policy can be rolled back to it.</summary>
    public const string ConfiguredVersion = "configured";

    /// <summary>The catalog's entry for <c>Guardrails:PolicyFile</c>; null when none is configured.</summary>
    public InstalledVersion? ConfiguredDefault(DateTime now) =>
        guardrails.Value.PolicyFile is { } file ? new InstalledVersion { Version = ConfiguredVersion, Path = Path.GetFullPath(file), ActivatedAt = now } : null;

    /// <summary>Puts <paramref name="version"/> of policy <paramref name="name"/> in force; the refusal, with nothing changed, when its file does not read.</summary>
    public PolicyLoadResult.Refused? SwitchTo(string name, string version, string path)
    {
        switch (PolicyFiles.Read(path))
        {
            case PolicyLoadResult.Loaded loaded:
                PutInForce(name, version, path, loaded.Policies);
                return null;
            case PolicyLoadResult.Refused refused:
                return refused;
            default:
                throw new InvalidOperationException("A policy load result is either loaded or refused.");
        }
    }

    /// <summary>Puts <paramref name="policies"/>, already read from <paramref name="path"/>, in force as <paramref name="version"/> of policy <paramref name="name"/>.</summary>
    public void PutInForce(string name, string version, string path, GuardrailPolicySet policies)
    {
        store.Activate(policies);
        UpdatesLog.PolicyInForce(logger, name, version, policies.Version, path);
    }

    /// <summary>Puts back what applied before a version of <paramref name="name"/>: <paramref name="previous"/>, else the configured file or no policy.</summary>
    public void SwitchBack(string name, InstalledVersion? previous)
    {
        if (previous is not null)
        {
            if (SwitchTo(name, previous.Version, previous.Path) is not { } refused)
            {
                return;
            }

            UpdatesLog.PolicyUnreadable(logger, name, previous.Version, previous.Path, refused.ToString());
        }

        ApplyConfigured();
    }

    /// <summary>
    /// At start-up: the installed policy's active version takes precedence over the configured file. An active version
    /// whose file no longer reads is refused with an error logged; the previous version then applies (the catalog goes
    /// back to it), or, when none reads, the configured file and the policy leaves the catalog.
    /// </summary>
    public void ActivateInstalled()
    {
        if (state.Installed().FirstOrDefault(i => i is { Kind: "policy", Active: not null }) is not { } installed)
        {
            return;
        }

        var active = installed.Active!;
        if (SwitchTo(installed.Name, active.Version, active.Path) is not { } refused)
        {
            return;
        }

        UpdatesLog.PolicyUnreadable(logger, installed.Name, active.Version, active.Path, refused.ToString());
        var reason = new UpdateEvent
        {
            Event = "rolled_back", Bundle = active.Bundle, Channel = active.Channel, Sequence = active.Sequence, Code = PolicyArtifacts.Invalid,
            Message = $"Policy {installed.Name} {active.Version} no longer reads at start-up ({refused}); ",
        };
        if (installed.Previous is { } previous && SwitchTo(installed.Name, previous.Version, previous.Path) is null)
        {
            reason.Message += $"went back to {previous.Version}.";
            state.RollBack("policy", installed.Name, reason);
            return;
        }

        reason.Message += "no earlier version reads; it is withdrawn and the configured policy applies.";
        state.Withdraw("policy", installed.Name, reason);
        ApplyConfigured();
    }

    // Validated at start-up (ProvisionedPolicyValidation), so it reads unless it changed on disk since; then nothing applies rather than a stale set.
    private void ApplyConfigured()
    {
        if (guardrails.Value.PolicyFile is { } file && SwitchTo(ConfiguredVersion, ConfiguredVersion, file) is null)
        {
            return;
        }

        store.Activate(GuardrailPolicySet.None);
        UpdatesLog.PolicyInForce(logger, "none", "none", GuardrailPolicySet.None.Version, "(no policy)");
    }
}
