using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>POST /v1/completions</c>: raw text continuation. Control tokens written as text stay text.</summary>
internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext http, ModelRegistry registry, IOptions<InferenceOptions> inference, TimeProvider time, ILogger<ApiLogCategory> logger)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, ApiJsonContext.Default.CompletionRequest);
        if (error is not null)
        {
            await ApiErrorWriter.WriteAsync(http, error);
            return;
        }

        if (body!.Echo == true || !string.IsNullOrEmpty(body.Suffix))
        {
            await ApiErrorWriter.WriteAsync(http, new ApiError(400, ErrorCodes.InvalidParameter, "echo and suffix are not supported.", body.Echo == true ? "echo" : "suffix"));
            return;
        }

        var (prompt, promptError) = PromptFields.ReadPrompt(body.Prompt);
        var (model, modelError) = ModelResolver.Resolve(registry, body.Model);
        if ((promptError ?? modelError) is { } invalid)
        {
            await ApiErrorWriter.WriteAsync(http, invalid);
            return;
        }

        ApiLog.PromptText(logger, prompt!);
        var (request, requestError) = GenerationRequestFactory.Create(
            body, body.MaxTokens, model!, prompt!, parseSpecial: false, inference.Value.DefaultMaxTokens);
        if (requestError is not null)
        {
            await ApiErrorWriter.WriteAsync(http, requestError);
            return;
        }

        var format = new TextCompletionFormat(model!.Name, time.GetUtcNow().ToUnixTimeSeconds());
        await GenerationResponder.RespondAsync(http, model, request!, body.Stream, body.StreamOptions?.IncludeUsage == true, format);
    }
}
