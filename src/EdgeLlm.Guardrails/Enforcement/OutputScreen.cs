using System.Text;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Guardrails.Redaction;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// Screens one answer as it is generated: the detectors' streaming filter holds back at most the longest match, and
/// the output deny rules see what is about to be released together with the text released just before it, so a
/// denied phrase split across tokens is caught before its last part is sent. Decisions are recorded once, at the end.
/// </summary>
public sealed class OutputScreen
{
    /// <summary>How much released text the deny rules see again beside the next release.</summary>
    private const int DenyWindow = 512;

    private readonly GuardrailSession _session;
    private readonly StreamingOutputFilter? _filter;
    private readonly StringBuilder _tail = new();
    private bool _recorded;

    internal OutputScreen(GuardrailSession session, StreamingOutputFilter? filter)
    {
        _session = session;
        _filter = filter;
    }

    /// <summary>The rule or family that ended the answer, once one did; nothing is released after it.</summary>
    public string? BlockedBy { get; private set; }

    /// <summary>Takes the next generated text; returns what can be sent now.</summary>
    public ScreenOutcome Push(string text)
    {
        if (BlockedBy is not null)
        {
            return new ScreenOutcome(string.Empty, BlockedBy);
        }

        return Check(_filter is null ? new StreamRelease(text, null) : _filter.Push(text));
    }

    /// <summary>Ends the answer: what was still held, screened. Records the answer's decisions.</summary>
    public ScreenOutcome Complete()
    {
        var outcome = BlockedBy is not null ? new ScreenOutcome(string.Empty, BlockedBy)
            : _filter is null ? new ScreenOutcome(string.Empty, null)
            : Check(_filter.Complete());
        RecordOnce();
        return outcome;
    }

    private ScreenOutcome Check(StreamRelease release)
    {
        if (release.BlockedFamily is { } family)
        {
            return End(family, release.Text);
        }

        if (release.Text.Length == 0)
        {
            return new ScreenOutcome(string.Empty, null);
        }

        var window = _tail.ToString() + release.Text;
        if (_session.Policy.Deny.Check(window, GuardrailDirection.Output) is { } rule)
        {
            _session.Record(rule, GuardrailAction.Block, GuardrailDirection.Output, 1);
            return End(rule, string.Empty);
        }

        _tail.Clear().Append(window.AsSpan(Math.Max(0, window.Length - DenyWindow)));
        return new ScreenOutcome(release.Text, null);
    }

    // What came before the blocked entity may still be sent; then the answer ends.
    private ScreenOutcome End(string blockedBy, string before)
    {
        BlockedBy = blockedBy;
        RecordOnce();
        return new ScreenOutcome(before, blockedBy);
    }

    private void RecordOnce()
    {
        if (!_recorded && _filter is not null)
        {
            _session.Record(_filter.Decisions, GuardrailDirection.Output);
        }

        _recorded = true;
    }
}
