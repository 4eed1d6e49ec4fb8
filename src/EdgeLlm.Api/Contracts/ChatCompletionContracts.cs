using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLlm.Api.Contracts;

/// <summary>Body of <c>POST /v1/chat/completions</c> (the OpenAI wire contract; unknown fields are ignored).</summary>
public sealed class ChatCompletionRequest : SamplingRequestFields
{
    public List<ChatMessageDto>? Messages { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public JsonElement? Tools { get; set; }

    /// <summary>EdgeLlm extension: ground the answer in one of the caller's collections.</summary>
    public RetrievalRequestDto? Retrieval { get; set; }
}

public sealed class ChatMessageDto
{
    public string? Role { get; set; }

    /// <summary>A string, or an array of content parts of which only <c>text</c> parts are accepted.</summary>
    public JsonElement Content { get; set; }
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

    public bool? Logprobs { get; set; }

    public bool Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    /// <summary>Only <c>{"type":"text"}</c> is served; a request for JSON output is refused until structured output exists.</summary>
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

public sealed record ChatChoice(int Index, AssistantMessage Message, string? FinishReason);

public sealed record AssistantMessage(string Role, string Content);

public sealed record ChatCompletionChunk(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<ChatChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDto? Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CitationDto>? Citations = null);

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, string? FinishReason);

public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);
