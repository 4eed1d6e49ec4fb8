using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Turns the client's fields into a checked <see cref="GenerationRequest"/>: every sampling parameter
/// range-checked (400 naming the parameter), the prompt tokenized and measured against the context
/// (400 <c>context_length_exceeded</c>), and <c>max_tokens</c> clamped to the context left.
/// </summary>
internal static class GenerationRequestFactory
{
    /// <summary>
    /// The request, with the grammar from response_format or tools (<c>constraint</c>, null: free text) and the
    /// log-probabilities to report (<c>topLogprobs</c>, already range-checked; null: none).
    /// </summary>
    public static (GenerationRequest? Request, ApiError? Error) Create(
        SamplingRequestFields fields, int? maxTokens, LoadedModel model, string prompt, bool parseSpecial, int defaultMaxTokens,
        OutputConstraint? constraint = null, int? topLogprobs = null)
    {
        if (fields.N is { } n && n != 1)
        {
            return Fail("n", "Only n = 1 is supported.");
        }

        if (fields.Seed is < 0 or > uint.MaxValue)
        {
            return Fail("seed", $"seed must be between 0 and {uint.MaxValue}.");
        }

        var sampling = new SamplingParameters
        {
            Temperature = fields.Temperature ?? 1f,
            TopP = fields.TopP ?? 1f,
            TopK = fields.TopK ?? 0,
            MinP = fields.MinP ?? 0f,
            RepeatPenalty = fields.RepeatPenalty ?? 1f,
            FrequencyPenalty = fields.FrequencyPenalty ?? 0f,
            PresencePenalty = fields.PresencePenalty ?? 0f,
            Seed = fields.Seed is { } seed ? (uint)seed : null,
        };
        var problem = SamplingValidator.Validate(sampling, model.Tokenizer.VocabularySize)
            ?? SamplingValidator.ValidateMaxTokens(maxTokens, "max_tokens");
        if (problem is not null)
        {
            return Fail(problem.Parameter, problem.Message);
        }

        var (stop, stopError) = PromptFields.ReadStop(fields.Stop);
        if (stopError is not null)
        {
            return (null, stopError);
        }

        if (SamplingValidator.ValidateStop(stop!) is { } stopProblem)
        {
            return Fail(stopProblem.Parameter, stopProblem.Message);
        }

        if (constraint is not null && stop!.Count > 0)
        {
            // A stop sequence would cut the constrained text wherever it appears, even inside a JSON string.
            return Fail("stop", "stop cannot be combined with response_format json_object/json_schema or with tools: the grammar decides where the answer ends.");
        }

        var tokens = model.Tokenizer.Tokenize(prompt, parseSpecial);
        if (tokens.Length == 0)
        {
            return Fail("prompt", "The prompt is empty.");
        }

        var room = model.ContextSize - tokens.Length;
        if (room < 1)
        {
            return (null, new ApiError(
                400,
                ErrorCodes.ContextLengthExceeded,
                $"The prompt is {tokens.Length} tokens; this model's context is {model.ContextSize} tokens, with at least one left for the answer."));
        }

        var budget = Math.Min(maxTokens ?? defaultMaxTokens, room);
        return (new GenerationRequest(tokens, sampling, budget, stop!) { Constraint = constraint, TopLogprobs = topLogprobs }, null);
    }

    private static (GenerationRequest?, ApiError?) Fail(string param, string message) =>
        (null, new ApiError(400, ErrorCodes.InvalidParameter, message, param));
}
