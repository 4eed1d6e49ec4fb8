using System.Text.Json.Serialization;

namespace EdgeLlm.Api.Contracts;

/// <summary>A call of one of the request's tools (OpenAI <c>tool_calls[]</c>); arguments are a JSON text.</summary>
public sealed record ToolCallDto(string Id, string Type, FunctionCallDto Function);

public sealed record FunctionCallDto(string Name, string Arguments);

/// <summary>A streamed piece of a tool call: id, type and name in its first chunk, argument text after.</summary>
public sealed record ToolCallDeltaDto(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    FunctionCallDeltaDto Function);

public sealed record FunctionCallDeltaDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string Arguments);

/// <summary>Chat <c>logprobs</c>: one entry per generated token.</summary>
public sealed record ChatLogprobsDto(IReadOnlyList<ChatTokenLogprobDto> Content);

public sealed record ChatTokenLogprobDto(string Token, float Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<ChatTopLogprobDto> TopLogprobs);

public sealed record ChatTopLogprobDto(string Token, float Logprob, IReadOnlyList<int> Bytes);

/// <summary>Text completions' (legacy) <c>logprobs</c>: parallel arrays, alternatives as token → logprob maps.</summary>
public sealed record CompletionLogprobsDto(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<float> TokenLogprobs,
    IReadOnlyList<Dictionary<string, float>> TopLogprobs,
    IReadOnlyList<int> TextOffset);
