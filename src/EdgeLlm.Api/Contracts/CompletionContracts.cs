using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLlm.Api.Contracts;

/// <summary>Body of <c>POST /v1/completions</c>.</summary>
public sealed class CompletionRequest : SamplingRequestFields
{
    /// <summary>A string, or an array holding exactly one string.</summary>
    public JsonElement Prompt { get; set; }

    public bool? Echo { get; set; }

    public string? Suffix { get; set; }

    /// <summary>0-20: report the chosen token's log-probability and this many alternatives per token (false or null: none).</summary>
    public JsonElement? Logprobs { get; set; }
}

public sealed record CompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<CompletionChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDto? Usage);

public sealed record CompletionChoice(string Text, int Index, CompletionLogprobsDto? Logprobs, string? FinishReason);
