using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Generation;

/// <summary>A checked request made for one model, and how its answer is written: streamed or whole, in the endpoint's shape.</summary>
internal sealed record GenerationAttempt(GenerationRequest Request, ICompletionFormat Format, bool Stream, bool IncludeUsage)
{
    /// <summary>Offers the request to <paramref name="model"/>'s scheduler: the answer, or the refusal.</summary>
    public Results<GenerationResult, GenerationStreamResult, ApiError> Submit(HttpContext http, LoadedModel model) =>
        GenerationResponder.Submit(http, model, Request, Stream, IncludeUsage, Format);

    /// <summary>An answer already generated in full, written as this attempt's answer would have been.</summary>
    public Results<GenerationResult, GenerationStreamResult, ApiError> Kept(IReadOnlyList<GenerationEvent> events) =>
        Stream
            ? new GenerationStreamResult(GenerationEvents.Kept(events), IncludeUsage, Format)
            : new GenerationResult(GenerationEvents.Kept(events), Format, Request.TopLogprobs is not null);
}
