using EdgeLlm.Api.Errors;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// A checked request made for one model, and how its answer is written: streamed or whole, in the endpoint's shape,
/// through the request's output guardrails when its policy screens output.
/// </summary>
internal sealed record GenerationAttempt(GenerationRequest Request, ICompletionFormat Format, bool Stream, bool IncludeUsage)
{
    /// <summary>The request's guardrails and the (screened) conversation the guard model is shown with the answer.</summary>
    public GuardedAnswer? Guard { get; init; }

    /// <summary>Offers the request to <paramref name="model"/>'s scheduler: the answer, or the refusal.</summary>
    public Results<GenerationResult, GenerationStreamResult, ApiError> Submit(HttpContext http, LoadedModel model)
    {
        var (generation, refused) = GenerationResponder.Admit(http, model, Request);
        return refused is not null ? refused : Answer(GenerationEvents.Live(generation!), model);
    }

    /// <summary>An answer <paramref name="model"/> already generated in full, written as this attempt's answer would have been.</summary>
    public Results<GenerationResult, GenerationStreamResult, ApiError> Kept(IReadOnlyList<GenerationEvent> events, LoadedModel model) =>
        Answer(GenerationEvents.Kept(events), model);

    private Results<GenerationResult, GenerationStreamResult, ApiError> Answer(GenerationEvents events, LoadedModel model)
    {
        if (Guard?.Session.BeginOutput() is { } screen)
        {
            events = new GuardedEvents(events, Guard.Session, screen, Guard.Conversation, model.Outcomes);
        }

        return Stream
            ? new GenerationStreamResult(events, IncludeUsage, Format)
            : new GenerationResult(events, Format, Request.TopLogprobs is not null);
    }
}

/// <summary>What an answer's output guardrails need: the request's session and the conversation as the model saw it.</summary>
internal sealed record GuardedAnswer(GuardrailSession Session, IReadOnlyList<GuardTurn> Conversation);
