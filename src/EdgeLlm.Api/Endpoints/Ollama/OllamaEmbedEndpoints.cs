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

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// <c>POST /api/embed</c> (a string or a batch) and the older <c>POST /api/embeddings</c> (one <c>prompt</c>): the
/// vectors <c>/v1/embeddings</c> gives for the same text (pooled, L2-normalised), of the inputs as the guardrail policy
/// lets them in. As in Ollama, <c>/api/embed</c> cuts an input longer than the context to it unless <c>truncate</c> is
/// false; the older call refuses it.
/// </summary>
internal static class OllamaEmbedEndpoints
{
    public static async Task<Results<ContentHttpResult, ApiError>> EmbedAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, GuardrailEnforcer guardrails, IOptions<ApiOptions> options, IOptions<InferenceOptions> inference, TimeProvider time)
    {
        var timings = new OllamaTimings(time);
        var (body, error) = await JsonBody.ReadAsync(http.Request, OllamaJsonContext.Default.OllamaEmbedRequest, anyContentType: true);
        if (error is not null)
        {
            return error;
        }

        var (inputs, inputError) = PromptFields.ReadInputs(body!.Input, options.Value.MaxEmbeddingInputs);
        var (name, invalid) = Common(body.Model, body.Options, body.KeepAlive, registry);
        invalid ??= inputError
            ?? (body.Dimensions is null ? null : OllamaUnsupported.Field("dimensions", "dimensions cannot be changed for this model."));
        if (invalid is not null)
        {
            return invalid;
        }

        var (vectors, tokens, embedError) = await EmbedAsync(http, registry, residency, guardrails, inference.Value, name!, inputs!, body.Truncate ?? true, timings);
        return embedError ?? (Results<ContentHttpResult, ApiError>)OllamaJson.Write(
            new OllamaEmbedResponse(body.Model!, vectors!, timings.TotalNanoseconds, timings.LoadNanoseconds, tokens),
            OllamaJsonContext.Default.OllamaEmbedResponse);
    }

    public static async Task<Results<ContentHttpResult, ApiError>> EmbeddingsAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, GuardrailEnforcer guardrails, IOptions<InferenceOptions> inference, TimeProvider time)
    {
        var timings = new OllamaTimings(time);
        var (body, error) = await JsonBody.ReadAsync(http.Request, OllamaJsonContext.Default.OllamaEmbeddingsRequest, anyContentType: true);
        if (error is not null)
        {
            return error;
        }

        var (name, invalid) = Common(body!.Model, body.Options, body.KeepAlive, registry);
        invalid ??= (string.IsNullOrEmpty(body.Prompt) ? OllamaUnsupported.Field("prompt", "prompt must be a non-empty string.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (vectors, _, embedError) = await EmbedAsync(http, registry, residency, guardrails, inference.Value, name!, [body.Prompt!], truncate: false, timings);
        return embedError ?? (Results<ContentHttpResult, ApiError>)OllamaJson.Write(new OllamaEmbeddingsResponse(vectors![0]), OllamaJsonContext.Default.OllamaEmbeddingsResponse);
    }

    /// <summary>The served name (a model, never a route), with the options and the keep-alive checked as generation checks them.</summary>
    private static (string? Name, ApiError? Error) Common(string? model, JsonElement? options, JsonElement? keepAlive, ModelRegistry registry)
    {
        var (name, nameError) = OllamaModelNames.Resolve(model, registry);
        return (name, nameError
            ?? OllamaOptionsField.Read(options).Error
            ?? OllamaKeepAlive.Read(keepAlive).Error
            ?? ServedRoles.ForEmbeddings(registry.FindSlot(name)!));
    }

    /// <summary>One vector per input and the tokens embedded, or the refusal (blocked input, model not ready, too long, queue full).</summary>
    private static async Task<(IReadOnlyList<float[]>? Vectors, int Tokens, ApiError? Error)> EmbedAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, GuardrailEnforcer guardrails, InferenceOptions inference, string name, IReadOnlyList<string> inputs, bool truncate, OllamaTimings timings)
    {
        // An embedding model is a model too: the inputs get the policy's input rules (no guard model: there is no answer to judge).
        var guard = InputGuardrails.Begin(guardrails, http);
        var screened = new List<string>(inputs.Count);
        foreach (var input in inputs)
        {
            var outcome = guard.Screen(input, GuardrailDirection.Input);
            if (outcome.BlockedBy is { } rule)
            {
                return (null, 0, ApiError.ContentBlocked(rule, "this request"));
            }

            screened.Add(outcome.Text);
        }

        // The lease is held to the end: between one input's embedding and the next the model is idle and could be evicted.
        var (lease, modelError) = await ModelResolver.AcquireAsync(registry, residency, name, inference.RequestTimeout, http.RequestAborted);
        if (modelError is not null)
        {
            return (null, 0, modelError);
        }

        using var held = lease!;
        timings.ModelReady();
        var model = CandidateSelection.For(held.Model, http, user: null);
        var tokenized = screened.Select(i => model.Tokenizer.Tokenize(i, parseSpecial: false)).ToList();
        if (tokenized.FindIndex(t => t.Length > model.ContextSize) is var tooLong and >= 0)
        {
            if (!truncate)
            {
                return (null, 0, new ApiError(400, ErrorCodes.ContextLengthExceeded, $"input {tooLong} is longer than this model's context of {model.ContextSize} tokens.", "input"));
            }

            tokenized = [.. tokenized.Select(t => t.Length > model.ContextSize ? t[..model.ContextSize] : t)];
        }

        var vectors = new List<float[]>(tokenized.Count);
        foreach (var tokens in tokenized)
        {
            var task = model.Scheduler.TryEmbed(tokens, http.RequestAborted);
            if (task is null)
            {
                return (null, 0, new ApiError(429, ErrorCodes.QueueFull, "The embedding queue is full; retry later.", RetryAfter: model.Scheduler.RetryAfterHint()));
            }

            vectors.Add(await task);
        }

        return (vectors, tokenized.Sum(t => t.Length), null);
    }
}
