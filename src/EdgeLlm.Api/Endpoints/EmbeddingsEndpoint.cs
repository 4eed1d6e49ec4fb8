using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>POST /v1/embeddings</c>: pooled, L2-normalised vectors for one string or a batch, of the inputs as the guardrail policy lets them in.</summary>
internal static class EmbeddingsEndpoint
{
    public static async Task<Results<Ok<EmbeddingResponse>, ApiError>> HandleAsync(HttpContext http, ModelRegistry registry, ModelResidency residency, GuardrailEnforcer guardrails, IOptions<ApiOptions> options, IOptions<InferenceOptions> inference)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, ApiJsonContext.Default.EmbeddingRequest);
        if (error is not null)
        {
            return error;
        }

        var format = body!.EncodingFormat ?? "float";
        var (inputs, inputError) = PromptFields.ReadInputs(body.Input, options.Value.MaxEmbeddingInputs);
        var invalid = inputError
            ?? (registry.FindSlot(body.Model) is { } slot ? ServedRoles.ForEmbeddings(slot) : null)
            ?? (format is "float" or "base64" ? null : new ApiError(400, ErrorCodes.InvalidParameter, "encoding_format must be float or base64.", "encoding_format"))
            ?? (body.Dimensions is null ? null : new ApiError(400, ErrorCodes.InvalidParameter, "dimensions cannot be changed for this model.", "dimensions"));
        if (invalid is not null)
        {
            return invalid;
        }

        // An embedding model is a model too: the inputs get the policy's input rules (no guard model: there is no answer to judge).
        var guard = InputGuardrails.Begin(guardrails, http, body.User);
        var screened = new List<string>(inputs!.Count);
        foreach (var input in inputs)
        {
            var outcome = guard.Screen(input, GuardrailDirection.Input);
            if (outcome.BlockedBy is { } rule)
            {
                return ApiError.ContentBlocked(rule, "this request");
            }

            screened.Add(outcome.Text);
        }

        // The lease is held to the end: between one input's embedding and the next the model is idle and could be evicted.
        var (lease, modelError) = await ModelResolver.AcquireAsync(registry, residency, body.Model, inference.Value.RequestTimeout, http.RequestAborted);
        if (modelError is not null)
        {
            return modelError;
        }

        using var held = lease!;
        var model = CandidateSelection.For(held.Model, http, body.User);

        var tokenized = screened.Select(i => model.Tokenizer.Tokenize(i, parseSpecial: false)).ToList();
        if (tokenized.FindIndex(t => t.Length > model.ContextSize) is var tooLong and >= 0)
        {
            return new ApiError(400, ErrorCodes.ContextLengthExceeded, $"input[{tooLong}] is longer than this model's context of {model.ContextSize} tokens.", "input");
        }

        var items = new List<EmbeddingItem>(tokenized.Count);
        for (var i = 0; i < tokenized.Count; i++)
        {
            var task = model.Scheduler.TryEmbed(tokenized[i], http.RequestAborted);
            if (task is null)
            {
                return new ApiError(429, ErrorCodes.QueueFull, "The embedding queue is full; retry later.", RetryAfter: model.Scheduler.RetryAfterHint());
            }

            items.Add(new EmbeddingItem("embedding", i, Encode(await task, format)));
        }

        var promptTokens = tokenized.Sum(t => t.Length);
        return TypedResults.Ok(new EmbeddingResponse("list", items, model.Name, new EmbeddingUsage(promptTokens, promptTokens)));
    }

    private static JsonElement Encode(float[] vector, string format) =>
        format == "base64"
            ? JsonSerializer.SerializeToElement(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())), ApiJsonContext.Default.String)
            : JsonSerializer.SerializeToElement(vector, ApiJsonContext.Default.SingleArray);
}
