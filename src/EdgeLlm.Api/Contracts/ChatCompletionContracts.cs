using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLlm.Api.Contracts;

/// <summary>Body of <c>POST /v1/chat/completions</c> (the OpenAI wire contract; unknown fields are ignored).</summary>
public sealed class ChatCompletionRequest : SamplingRequestFields
{
    public List<ChatMessageDto>? Messages { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public JsonElement? Tools { get; set; }

    /// <summary><c>none</c>, <c>auto</c>, <c>required</c>, or <c>{"type":"function","function":{"name":...}}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public bool? Logprobs { get; set; }

    /// <summary>0-20 alternatives per token; needs <c>logprobs: true</c>.</summary>
    public int? TopLogprobs { get; set; }

    /// <summary>EdgeLlm extension: ground the answer in one of the caller's collections.</summary>
    public RetrievalRequestDto? Retrieval { get; set; }
}

public sealed class ChatMessageDto
{
    public string? Role { get; set; }

    /// <summary>A string, or an array of content parts of which only <c>text</c> parts are accepted; null beside tool calls.</summary>
    public JsonElement Content { get; set; }

    /// <summary>An assistant message's calls of the request's tools.</summary>
    public List<ToolCallDto>? ToolCalls { get; set; }

    /// <summary>A <c>tool</c> message's answer to this call.</summary>
    public string? ToolCallId { get; set; }

    public string? Name { get; set; }
}

/// <summary>Fields shared by chat and text completions.</summary>
public abstract class SamplingRequestFields
{
    public string? Model { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? TopK { get; set; }

    public float? MinP { get; set; }

    public float? RepeatPenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public float? PresencePenalty { get; set; }

    public long? Seed { get; set; }

    /// <summary>A string or an array of strings.</summary>
    public JsonElement? Stop { get; set; }

    public int? MaxTokens { get; set; }

    public int? N { get; set; }

    public bool Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    /// <summary><c>text</c>, <c>json_object</c> or <c>json_schema</c> (grammar-constrained).</summary>
    public JsonElement? ResponseFormat { get; set; }

    public string? User { get; set; }
}

public sealed class StreamOptionsDto
{
    public bool IncludeUsage { get; set; }
}

public sealed record ChatCompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChatChoice> Choices,
    UsageDto Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CitationDto>? Citations = null);

public sealed record ChatChoice(int Index, AssistantMessage Message, string? FinishReason, ChatLogprobsDto? Logprobs = null);

/// <summary>The answer: its text, or (content null) the calls of the request's tools.</summary>
public sealed record AssistantMessage(
    string Role,
    string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallDto>? ToolCalls = null);

public sealed record ChatCompletionChunk(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChatChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDto? Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CitationDto>? Citations = null);

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, string? FinishReason, ChatLogprobsDto? Logprobs = null);

public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallDeltaDto>? ToolCalls = null);

/// <summary>Token counts of an answer; <see cref="PromptTokensDetails"/> says how much of the prompt came from kept cells.</summary>
public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetailsDto PromptTokensDetails);

/// <summary>OpenAI's <c>prompt_tokens_details</c>: <see cref="CachedTokens"/> prompt tokens were not decoded again (prefix reuse).</summary>
public sealed record PromptTokensDetailsDto(int CachedTokens);
