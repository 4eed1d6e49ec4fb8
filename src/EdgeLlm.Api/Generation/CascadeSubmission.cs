using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Routing;
using EdgeLlm.Routing.Cascade;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// A cascade: the smaller model's answer is generated whole before anything is sent, with its tokens'
/// log-probabilities whether or not the client asked for them. It is kept (and written, streamed or whole, exactly as
/// if it were live, its log-probabilities only when the client asked) unless its mean log-probability is below the
/// rule's bound or it failed; then the larger model answers instead, as if it had been asked directly. Should the
/// larger one refuse, the smaller answer stands.
/// </summary>
internal static class CascadeSubmission
{
    public static async Task<(Results<GenerationResult, GenerationStreamResult, ApiError> Answer, LoadedModel Served)> SubmitAsync(
        HttpContext http, string route, RouteEscalation escalation, LoadedModel smaller, ModelRegistry registry, ModelResidency residency, InferenceOptions inference, RouteResolver router,
        Func<LoadedModel, (GenerationAttempt? Attempt, ApiError? Error)> prepare)
    {
        var (attempt, error) = prepare(smaller);
        if (error is not null)
        {
            return (error, smaller);
        }

        var asked = attempt!.Request.TopLogprobs;
        var (generation, refused) = GenerationResponder.Admit(http, smaller, attempt.Request with { TopLogprobs = asked ?? 0 });
        if (refused is not null)
        {
            return (refused, smaller);
        }

        var (events, tokens, logprobSum, failed) = await ReadWholeAsync(generation!, keepLogprobs: asked is not null, http.RequestAborted);
        if ((!failed && !escalation.Escalates(tokens, logprobSum)) || http.RequestAborted.IsCancellationRequested)
        {
            router.KeptAnswer(route, smaller.Name, tokens, logprobSum);
            return (attempt.Kept(events, smaller), smaller);
        }

        // The larger model may be an on-demand one: loaded now, within the request's wait, when it fits.
        var (lease, notReady) = await Endpoints.ModelResolver.AcquireAsync(registry, residency, escalation.Model, inference.RequestTimeout, http.RequestAborted);
        if (lease is null)
        {
            router.EscalationRefused(route, smaller.Name, escalation.Model, notReady!.Code);
            return (attempt.Kept(events, smaller), smaller);
        }

        using var held = lease;
        var larger = held.Model;
        var (largerAttempt, largerError) = prepare(larger);
        var answer = largerError ?? largerAttempt!.Submit(http, larger);
        if (answer.Result is ApiError rejected)
        {
            router.EscalationRefused(route, smaller.Name, larger.Name, rejected.Code);
            return (attempt.Kept(events, smaller), smaller);
        }

        router.Escalated(route, smaller.Name, larger.Name, tokens, logprobSum);
        return (answer, larger);
    }

    /// <summary>
    /// Every event of the generation, with the log-probabilities dropped unless the client asked for them; the tokens
    /// and the sum of their log-probabilities; whether it failed in a way the larger model may not (an engine fault, a
    /// timeout). A client that goes away ends the reading early.
    /// </summary>
    private static async Task<(List<GenerationEvent> Events, int Tokens, double LogprobSum, bool Failed)> ReadWholeAsync(
        GenerationStream generation, bool keepLogprobs, CancellationToken aborted)
    {
        var events = new List<GenerationEvent>();
        var (tokens, sum, failed) = (0, 0.0, false);
        using (generation)
        {
            try
            {
                await foreach (var item in generation.ReadAllAsync(aborted))
                {
                    if (item is TextDelta { Logprobs: { } logprobs } delta)
                    {
                        tokens += logprobs.Count;
                        sum += logprobs.Sum(l => (double)l.Logprob);
                        events.Add(keepLogprobs ? delta : delta with { Logprobs = null });
                        continue;
                    }

                    failed |= item is GenerationFinished { Reason: FinishReason.Error or FinishReason.Timeout };
                    events.Add(item);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // Nobody is left to answer; the caller keeps what there is.
            }
        }

        return (events, tokens, sum, failed);
    }
}
