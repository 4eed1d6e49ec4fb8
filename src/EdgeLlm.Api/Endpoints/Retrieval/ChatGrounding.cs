using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference.Chat;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// The <c>retrieval</c> field of a chat request: searches the caller's collection with the last user message,
/// puts the hits into the system prompt as fenced, untrusted reference text (screened by the guardrail policy's
/// retrieved-context rules), and returns the citations.
/// </summary>
internal sealed class ChatGrounding(CollectionStore collections, RetrievalQueries queries, IOptions<RetrievalOptions> options)
{
    public async Task<(IReadOnlyList<ChatMessage>? Messages, IReadOnlyList<CitationDto>? Citations, ApiError? Error)> ApplyAsync(
        HttpContext http, RetrievalRequestDto retrieval, IReadOnlyList<ChatMessage> messages, GuardrailSession guard)
    {
        if (string.IsNullOrWhiteSpace(retrieval.Collection))
        {
            return (null, null, new ApiError(400, ErrorCodes.InvalidParameter, "retrieval.collection is required.", "retrieval.collection"));
        }

        var collection = collections.Find(CollectionsEndpoints.Tenant(http.User), retrieval.Collection);
        if (collection is null)
        {
            return (null, null, new ApiError(404, ErrorCodes.CollectionNotFound, "No such collection.", "retrieval.collection"));
        }

        var question = messages.LastOrDefault(m => m.Role == "user")?.Content;
        var (query, queryError) = queries.Read(question, retrieval.TopK, retrieval.Filter, retrieval.MinScore, retrieval.Mode, "retrieval.");
        if (queryError is not null)
        {
            return (null, null, question is null ? queryError with { Message = "Retrieval needs a user message to search with." } : queryError);
        }

        var (hits, searchError) = await queries.SearchAsync(collection, query!, http.RequestAborted);
        if (searchError is not null)
        {
            return (null, null, searchError);
        }

        var context = RetrievedContext.From(hits!, options.Value.MaxContextCharacters);
        // Passages ingested before the policy in force (or under another) are screened as retrieved text now.
        var screened = guard.Screen(context.PromptText, GuardrailDirection.Retrieved);
        if (screened.BlockedBy is { } rule)
        {
            return (null, null, ApiError.ContentBlocked(rule, "the retrieved context"));
        }

        var grounded = messages.ToList();
        if (grounded.Count > 0 && grounded[0].Role == "system")
        {
            grounded[0] = grounded[0] with { Content = grounded[0].Content + "\n\n" + screened.Text };
        }
        else
        {
            grounded.Insert(0, new ChatMessage("system", screened.Text));
        }

        return (grounded, context.Citations.Select(c => RetrievalDtos.Citation(collection.Name, c)).ToList(), null);
    }
}
