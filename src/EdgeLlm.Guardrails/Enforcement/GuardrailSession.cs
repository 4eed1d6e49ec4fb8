using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Guardrails.Redaction;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// The guardrails of one request: the policy in force when it arrived (one version from start to end), its
/// placeholders (the same value always the same placeholder, in the prompt, the context and the answer), and who sent
/// it, for the audit trail. While a policy canary runs, the side that screens it is told whether it blocked the request
/// or lacked a guard verdict, once each, for the rollout's judge. Used by one request at a time.
/// </summary>
public sealed class GuardrailSession
{
    private readonly EnforcedPolicy _enforced;
    private readonly DecisionRecorder _recorder;
    private readonly IGuardModel? _guard;
    private readonly ILogger _logger;
    private readonly PolicyOutcomes _outcomes;
    private bool _blocked;
    private bool _guardFailed;
    private long _screenedAt;

    internal GuardrailSession(EnforcedPolicy enforced, PolicySide? side, string? tenant, string? keyId, DecisionRecorder recorder, PolicyOutcomes outcomes, IGuardModel? guard, ILogger logger)
    {
        _enforced = enforced;
        Side = side;
        Tenant = tenant;
        KeyId = keyId;
        _recorder = recorder;
        _outcomes = outcomes;
        _guard = guard;
        _logger = logger;
        if (side is { } screening)
        {
            _screenedAt = outcomes.Add(screening, PolicyOutcomes.OutcomeKind.Screened);
        }
    }

    public GuardrailPolicy Policy => _enforced.Policy;

    /// <summary>Which side of a policy canary screens this request; null when none runs.</summary>
    public PolicySide? Side { get; }

    public string? Tenant { get; }

    public string? KeyId { get; }

    /// <summary>This request's placeholders.</summary>
    public RedactionScope Scope { get; } = new();

    /// <summary>Whether the guard model judges the answer, which then is held whole until its verdict.</summary>
    public bool GuardsOutput => Policy.Guard?.Directions.Contains(GuardrailDirection.Output) == true;

    /// <summary>Deny rules first (on the text as sent), then the detectors; every decision is recorded.</summary>
    public ScreenOutcome Screen(string text, GuardrailDirection direction)
    {
        if (Policy.Deny.Check(text, direction) is { } rule)
        {
            Record(rule, GuardrailAction.Block, direction, 1);
            return new ScreenOutcome(string.Empty, rule);
        }

        if (_enforced.RedactorFor(direction) is not { } redactor)
        {
            return new ScreenOutcome(text, null);
        }

        var result = redactor.Redact(text, Scope);
        Record(result.Decisions, direction);
        return new ScreenOutcome(result.Text, result.BlockedFamily);
    }

    /// <summary>A screen for this request's answer; null when the policy screens no output.</summary>
    public OutputScreen? BeginOutput()
    {
        if (!_enforced.ScreensOutput)
        {
            return null;
        }

        var filter = _enforced.RedactorFor(GuardrailDirection.Output)?.CreateStreamFilter(Scope, Policy.RestoreRedactions);
        return new OutputScreen(this, filter);
    }

    /// <summary>
    /// The guard model's verdict on the conversation's last turn when the policy has it judge
    /// <paramref name="direction"/>: unsafe blocks (<c>guard:&lt;category&gt;</c>); no verdict blocks
    /// (<c>guard_unavailable</c>) when the policy fails closed and is counted and let through when it fails open.
    /// </summary>
    public async Task<string?> JudgeAsync(GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, CancellationToken cancellationToken)
    {
        if (Policy.Guard is not { } guard || !guard.Directions.Contains(direction))
        {
            return null;
        }

        var verdict = _guard is null
            ? new GuardVerdict.Unavailable("no_guard_runner")
            : await _guard.JudgeAsync(guard, direction, conversation, cancellationToken);
        switch (verdict)
        {
            case GuardVerdict.Unsafe unsafeVerdict:
                var rule = "guard:" + unsafeVerdict.Categories[0];
                Record(rule, GuardrailAction.Block, direction, 1);
                return rule;
            case GuardVerdict.Unavailable unavailable:
                var closed = Policy.FailureMode == GuardFailureMode.Closed;
                GuardrailsLog.GuardUnavailable(_logger, unavailable.Reason, PolicyVocabulary.Name(direction), Policy.Version, closed ? "closed" : "open");
                Note(ref _guardFailed, PolicyOutcomes.OutcomeKind.GuardFailed);
                Record("guard_unavailable", closed ? GuardrailAction.Block : GuardrailAction.Flag, direction, 1);
                return closed ? "guard_unavailable" : null;
            default:
                return null;
        }
    }

    internal void Record(string rule, GuardrailAction action, GuardrailDirection direction, int count)
    {
        _recorder.Record(Policy, rule, action, direction, count, Tenant, KeyId);
        if (action == GuardrailAction.Block)
        {
            Note(ref _blocked, PolicyOutcomes.OutcomeKind.Blocked);
        }
    }

    internal void Record(IReadOnlyList<RedactionDecision> decisions, GuardrailDirection direction)
    {
        _recorder.Record(Policy, decisions, direction, Tenant, KeyId);
        if (decisions.Any(d => d.Action == RedactionAction.Block))
        {
            Note(ref _blocked, PolicyOutcomes.OutcomeKind.Blocked);
        }
    }

    private void Note(ref bool noted, PolicyOutcomes.OutcomeKind kind)
    {
        if (Side is { } side && !noted)
        {
            noted = true;
            _outcomes.Add(side, kind, _screenedAt);
        }
    }
}
