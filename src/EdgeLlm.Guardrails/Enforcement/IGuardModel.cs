using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// The guard model's seam: a model with the role <c>guard</c> judges a conversation that the detectors have already
/// redacted. The API registers the implementation that runs it on its own scheduler; without one, every verdict is
/// <see cref="GuardVerdict.Unavailable"/> and the policy's failure mode applies.
/// </summary>
public interface IGuardModel
{
    /// <summary>The verdict on <paramref name="conversation"/>'s last turn (the prompt's for input, the answer's for output).</summary>
    /// <remarks>Never throws for an unloaded, failing or slow model: those are <see cref="GuardVerdict.Unavailable"/>.</remarks>
    Task<GuardVerdict> JudgeAsync(GuardPolicy guard, GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, CancellationToken cancellationToken);
}

/// <summary>One turn the guard model is shown: <c>user</c> or <c>assistant</c> (a system turn is shown as the user's).</summary>
public sealed record GuardTurn(string Role, string Content);

/// <summary>The guard model's answer, parsed.</summary>
public abstract record GuardVerdict
{
    private GuardVerdict()
    {
    }

    public sealed record Safe : GuardVerdict;

    /// <param name="Categories">The policy's categories the model named; at least one.</param>
    public sealed record Unsafe(IReadOnlyList<string> Categories) : GuardVerdict;

    /// <param name="Reason">
    /// Why there is no verdict: <c>not_found</c>, <c>not_guard</c> (the model's role is not guard), <c>not_loaded</c>,
    /// <c>queue_full</c>, <c>too_long</c>, <c>timeout</c>, <c>failed</c>, <c>unparsable</c>; <c>no_guard_runner</c> when
    /// no <see cref="IGuardModel"/> is registered.
    /// </param>
    public sealed record Unavailable(string Reason) : GuardVerdict;
}
