using System.Text;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Screens a generated answer token by token. It lets through only text that can no longer be part of a match: it
/// holds back the last <see cref="Redactor.MaxMatchLength"/> characters (or the longest placeholder it restores, if
/// longer; one more so a surrogate pair is never split), re-scans them with each new token, and releases the safe prefix with its matches redacted. A match that starts in
/// the releasable prefix lies wholly inside the held text with a character to spare after it, so it is seen whole
/// and final; one that reaches past the prefix is released whole, never cut. Detectors scan the raw text, never the
/// released one, so placeholders are not detected again. Per token the work is proportional to the window (the held
/// text plus as much released text before it, kept so look-behinds and word boundaries see what the whole text has),
/// not to the answer. One filter per answer, fed from one thread.
/// </summary>
public sealed class StreamingOutputFilter
{
    private readonly MatchFinder finder;
    private readonly RedactionScope scope;
    private readonly PlaceholderRestorer? restorer;
    private readonly int holdBack;
    private readonly List<ActionableMatch> candidates = [];
    private readonly List<ActionableMatch> matches = [];
    private readonly List<ActionableMatch> released = [];
    private readonly StringBuilder output = new();
    private readonly DecisionTally tally = new();

    // buffer[0, contextLength) is released raw text kept as left context; buffer[contextLength, +heldLength) is held.
    private char[] buffer;
    private int contextLength;
    private int heldLength;
    private bool completed;

    internal StreamingOutputFilter(MatchFinder finder, RedactionScope scope, bool restorePlaceholders)
    {
        this.finder = finder;
        this.scope = scope;
        restorer = restorePlaceholders ? PlaceholderRestorer.Snapshot(scope) : null;
        holdBack = Math.Max(finder.MaxMatchLength, restorer?.LongestPlaceholder ?? 0);
        buffer = new char[Math.Max(16, 4 * holdBack)];
    }

    /// <summary>The most characters ever held back after a token: the longest match, plus one for a surrogate pair.</summary>
    public int HoldBackLimit => holdBack + 1;

    /// <summary>How many generated characters are held back now.</summary>
    public int HeldLength => heldLength;

    /// <summary>The family that blocked the answer, once one did; nothing is released after it.</summary>
    public string? BlockedFamily { get; private set; }

    /// <summary>The actions taken on everything released so far (and on the blocked entity), never the matched text.</summary>
    public IReadOnlyList<RedactionDecision> Decisions => tally.ToDecisions();

    /// <summary>Takes the next generated token; returns what can be sent now.</summary>
    public StreamRelease Push(ReadOnlySpan<char> token)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        if (BlockedFamily is not null)
        {
            return new StreamRelease(string.Empty, BlockedFamily);
        }

        if (token.IsEmpty)
        {
            return StreamRelease.Nothing;
        }

        Append(token);
        if (heldLength <= holdBack)
        {
            return StreamRelease.Nothing;
        }

        var cut = contextLength + heldLength - holdBack;
        if (char.IsHighSurrogate(buffer[cut - 1]))
        {
            cut--;
        }

        return Release(cut);
    }

    /// <summary>Ends the answer: releases everything still held, redacted. The filter takes nothing after this.</summary>
    public StreamRelease Complete()
    {
        ObjectDisposedException.ThrowIf(completed, this);
        completed = true;
        return BlockedFamily is not null
            ? new StreamRelease(string.Empty, BlockedFamily)
            : Release(contextLength + heldLength);
    }

    private StreamRelease Release(int cut)
    {
        if (cut <= contextLength)
        {
            return StreamRelease.Nothing;
        }

        var windowLength = contextLength + heldLength;
        var window = new string(buffer, 0, windowLength);
        finder.Find(window, candidates, matches);
        restorer?.AddOccurrences(window, contextLength, matches);
        released.Clear();
        foreach (var found in matches)
        {
            if (found.End <= contextLength)
            {
                continue;
            }

            if (found.Start >= cut)
            {
                break;
            }

            // A match reaching back into released text cannot happen with detectors true to MaxMatchLength; if one
            // does, what is still held of it is acted on rather than let through.
            var match = found.Start >= contextLength
                ? found
                : found with { Match = found.Match with { Start = contextLength, Length = found.End - contextLength } };
            if (match.Action == RedactionAction.Block)
            {
                BlockedFamily = match.Match.Family;
                tally.Add(match.Match.Family, RedactionAction.Block);
                cut = match.Start;
                break;
            }

            cut = Math.Max(cut, match.End);
            released.Add(match);
        }

        output.Clear();
        MatchWriter.Write(window, contextLength, cut, released, finder.Rules, scope, tally, output);
        if (BlockedFamily is null)
        {
            KeepAfter(cut, windowLength);
        }
        else
        {
            // The answer ends here: what is held is never sent, so it is not kept either.
            contextLength = 0;
            heldLength = 0;
        }

        return new StreamRelease(output.Length == 0 ? string.Empty : output.ToString(), BlockedFamily);
    }

    private void Append(ReadOnlySpan<char> token)
    {
        var needed = contextLength + heldLength + token.Length;
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(needed, 2 * buffer.Length));
        }

        token.CopyTo(buffer.AsSpan(contextLength + heldLength));
        heldLength += token.Length;
    }

    // Moves the window on: what follows the cut stays held, up to holdBack characters before it stay as context.
    private void KeepAfter(int cut, int windowLength)
    {
        var keepFrom = Math.Max(0, cut - holdBack);
        buffer.AsSpan(keepFrom, windowLength - keepFrom).CopyTo(buffer);
        contextLength = cut - keepFrom;
        heldLength = windowLength - cut;
    }
}
