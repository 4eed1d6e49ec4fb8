using System.Diagnostics.CodeAnalysis;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Holds the policy set in force and swaps it whole: a request reads <see cref="Current"/> once and sees one version
/// from start to end. A document that is refused changes nothing; the set before it keeps applying. The update
/// installer hands it a verified file's text; rolling back is activating the previous file again. A canary's
/// candidate set is held beside it and screens the requests its split sends it.
/// </summary>
public sealed class PolicyStore(GuardrailPolicySet initial)
{
    private GuardrailPolicySet _current = initial;
    private PolicyCanary? _candidate;

    public PolicyStore()
        : this(GuardrailPolicySet.None)
    {
    }

    /// <summary>Raised after a set is put in force, whole or as a canary's candidate, on the activating thread.</summary>
    public event Action<GuardrailPolicySet>? Activated;

    /// <summary>The set in force now.</summary>
    public GuardrailPolicySet Current => Volatile.Read(ref _current);

    /// <summary>The canary's candidate on trial now, or null.</summary>
    public PolicyCanary? Candidate => Volatile.Read(ref _candidate);

    /// <summary>The policy in force now for <paramref name="tenant"/> (its own, else the default).</summary>
    public GuardrailPolicy For(string? tenant) => Current.For(tenant);

    /// <summary>The policy that screens one request: the candidate's when a canary runs and its split says so, else the set in force.</summary>
    public PolicyChoice Choose(string? tenant, string? apiKeyId, string? user)
    {
        if (Candidate is not { } canary)
        {
            return new PolicyChoice(For(tenant), null);
        }

        return canary.Split.ToCandidate(apiKeyId, user)
            ? new PolicyChoice(canary.Policies.For(tenant), PolicySide.Candidate)
            : new PolicyChoice(For(tenant), PolicySide.Active);
    }

    /// <summary>Puts <paramref name="canary"/>'s set on trial beside the set in force (replacing any earlier candidate).</summary>
    public void ActivateCandidate(PolicyCanary canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        Volatile.Write(ref _candidate, canary);
        Activated?.Invoke(canary.Policies);
    }

    /// <summary>Ends the trial: every request is screened by the set in force again.</summary>
    public void RetireCandidate() => Volatile.Write(ref _candidate, null);

    /// <summary>
    /// Makes <paramref name="policies"/> the set in force: for an installer that read the file with
    /// <see cref="PolicyReader"/> when it staged it and activates it once the install is committed.
    /// </summary>
    public void Activate(GuardrailPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        Volatile.Write(ref _current, policies);
        Activated?.Invoke(policies);
    }

    /// <summary>Reads, checks and compiles <paramref name="json"/>, then makes it the set in force; on refusal keeps the current one.</summary>
    public bool TryActivate(string json, [NotNullWhen(false)] out PolicyLoadResult.Refused? refusal) =>
        TryActivate(PolicyReader.Read(json), out refusal);

    /// <inheritdoc cref="TryActivate(string, out PolicyLoadResult.Refused?)"/>
    public bool TryActivate(ReadOnlySpan<byte> utf8Json, [NotNullWhen(false)] out PolicyLoadResult.Refused? refusal) =>
        TryActivate(PolicyReader.Read(utf8Json), out refusal);

    private bool TryActivate(PolicyLoadResult result, [NotNullWhen(false)] out PolicyLoadResult.Refused? refusal)
    {
        switch (result)
        {
            case PolicyLoadResult.Loaded loaded:
                Activate(loaded.Policies);
                refusal = null;
                return true;
            case PolicyLoadResult.Refused refused:
                refusal = refused;
                return false;
            default:
                throw new InvalidOperationException("A policy load result is either loaded or refused.");
        }
    }
}
