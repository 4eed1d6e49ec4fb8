using System.Runtime.CompilerServices;
using System.Text;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// An answer as the guardrail policy lets it out: each piece of text through the output screen (which holds back at
/// most the longest entity, so nothing it would redact is sent), and, when the screen blocks, the generation cancelled
/// and the answer ended with <c>content_filter</c>. When the guard model judges output, the whole answer is held for
/// its verdict first, so that answer arrives in one piece. Each blocked answer is counted in the serving version's
/// <paramref name="outcomes"/>, so a canary rollout compares the versions' blocked shares.
/// </summary>
internal sealed class GuardedEvents(GenerationEvents inner, GuardrailSession session, OutputScreen screen, IReadOnlyList<GuardTurn> conversation, GenerationOutcomes outcomes)
    : GenerationEvents
{
    public override Task<bool> Stalled => inner.Stalled;

    public override IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken) =>
        session.GuardsOutput ? JudgedAsync(cancellationToken) : ScreenedAsync(cancellationToken);

    public override void Dispose() => inner.Dispose();

    private async IAsyncEnumerable<GenerationEvent> ScreenedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = inner.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await events.MoveNextAsync())
        {
            switch (events.Current)
            {
                case TextDelta delta:
                    var pushed = screen.Push(delta.Text);
                    if (pushed.Text.Length > 0 || (delta.Logprobs is { Count: > 0 } && !pushed.IsBlocked))
                    {
                        yield return delta with { Text = pushed.Text };
                    }

                    if (pushed.IsBlocked)
                    {
                        yield return await EndAsync(events);
                        yield break;
                    }

                    break;
                case GenerationFinished finished when GenerationResponder.Failure(finished.Reason) is not null:
                    yield return finished;
                    yield break;
                case GenerationFinished finished:
                    var rest = screen.Complete();
                    if (rest.Text.Length > 0)
                    {
                        yield return new TextDelta(rest.Text);
                    }

                    if (rest.IsBlocked)
                    {
                        outcomes.AddBlocked(generationRecorded: true);
                        yield return finished with { Reason = FinishReason.ContentFilter };
                        yield break;
                    }

                    yield return finished;
                    yield break;
            }
        }
    }

    private async IAsyncEnumerable<GenerationEvent> JudgedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var held = new List<GenerationEvent>();
        var answer = new StringBuilder();
        await foreach (var item in ScreenedAsync(cancellationToken))
        {
            held.Add(item);
            if (item is TextDelta delta)
            {
                answer.Append(delta.Text);
            }
        }

        if (held is [.., GenerationFinished { Reason: FinishReason.Stop or FinishReason.Length } finished])
        {
            var judged = await session.JudgeAsync(GuardrailDirection.Output, [.. conversation, new GuardTurn("assistant", answer.ToString())], cancellationToken);
            if (judged is not null)
            {
                // Nothing of a judged-unsafe answer is sent.
                outcomes.AddBlocked(generationRecorded: true);
                yield return finished with { Reason = FinishReason.ContentFilter };
                yield break;
            }
        }

        foreach (var item in held)
        {
            yield return item;
        }
    }

    // The screen blocked: stop the generation and end the answer with the usage it had when it stopped. Cut short, the
    // generation is not recorded and the blocked entry is the request; one that had ended on its own is recorded already.
    private async Task<GenerationFinished> EndAsync(IAsyncEnumerator<GenerationEvent> events)
    {
        inner.Dispose();
        while (await events.MoveNextAsync())
        {
            if (events.Current is GenerationFinished finished)
            {
                outcomes.AddBlocked(generationRecorded: GenerationOutcome.IsRecorded(finished.Reason));
                return finished with { Reason = FinishReason.ContentFilter };
            }
        }

        outcomes.AddBlocked(generationRecorded: false);
        return new GenerationFinished(FinishReason.ContentFilter, new GenerationUsage(0, 0, TimeSpan.Zero, null));
    }
}
