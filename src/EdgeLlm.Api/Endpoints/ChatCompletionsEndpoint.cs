using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Endpoints.Retrieval;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: optional retrieval grounding, the model's chat template, then generation.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task<Results<GenerationResult, GenerationStreamResult, ApiError>> HandleAsync(
        HttpContext http, ModelRegistry registry, ChatGrounding grounding, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, ApiJsonContext.Default.ChatCompletionRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.Tools is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0)
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "tools are not supported.", "tools");
        }

        var (messages, messageError) = PromptFields.ReadMessages(body.Messages);
        var (model, modelError) = ModelResolver.Resolve(registry, body.Model);
        if ((ResponseFormatField.Check(body.ResponseFormat) ?? messageError ?? modelError) is { } invalid)
        {
            return invalid;
        }

        IReadOnlyList<CitationDto>? citations = null;
        if (body.Retrieval is not null)
        {
            (messages, citations, var groundingError) = await grounding.ApplyAsync(http, body.Retrieval, messages!);
            if (groundingError is not null)
            {
                return groundingError;
            }
        }

        var prompt = model!.Chat.Format(messages!);
        ApiLog.PromptText(logger, prompt);
        var (request, requestError) = GenerationRequestFactory.Create(
            body, body.MaxCompletionTokens ?? body.MaxTokens, model, prompt, parseSpecial: true, inference.Value.DefaultMaxTokens);
        if (requestError is not null)
        {
            return requestError;
        }

        var format = new ChatCompletionFormat(model.Name, time.GetUtcNow().ToUnixTimeSeconds(), citations);
        return GenerationResponder.Submit(http, model, request!, body.Stream, body.StreamOptions?.IncludeUsage == true, format);
    }
}
