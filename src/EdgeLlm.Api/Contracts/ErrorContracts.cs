using System.Text.Json.Serialization;

namespace EdgeLlm.Api.Contracts;

/// <summary>An error on <c>/v1/*</c>, in the OpenAI shape so OpenAI SDKs surface it: <c>{"error":{…}}</c>.</summary>
public sealed record OpenAiErrorResponse(OpenAiError Error);

/// <summary>What went wrong: <c>code</c> is the stable code from <c>ErrorCodes</c>, <c>param</c> the request field at fault (or null).</summary>
public sealed record OpenAiError(string Message, string Type, string? Param, string Code);

/// <summary>An error outside <c>/v1/*</c>, as RFC 7807 problem details with the stable <c>code</c> added.</summary>
public sealed record ProblemDetailsResponse(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Param);
