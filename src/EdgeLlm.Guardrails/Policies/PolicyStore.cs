using System.Diagnostics.CodeAnalysis;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Holds the policy set in force and swaps it whole: a request reads <see cref="Current"/> once and sees one version
/// from start to end. A document that is refused changes nothing; the set before it keeps applying. The update
/// installer hands it a verified file's text; rolling back is activating the previous file again.
/// </summary>
public sealed class PolicyStore(GuardrailPolicySet initial)
{
    private GuardrailPolicySet _current = initial;

    public PolicyStore()
        : this(GuardrailPolicySet.None)
    {
    }

    /// <summary>Raised after a set is put in force, on the activating thread.</summary>
    public event Action<GuardrailPolicySet>? Activated;

    /// <summary>The set in force now.</summary>
    public GuardrailPolicySet Current => Volatile.Read(ref _current);

    /// <summary>The policy in force now for <paramref name="tenant"/> (its own, else the default).</summary>
    public GuardrailPolicy For(string? tenant) => Current.For(tenant);

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
