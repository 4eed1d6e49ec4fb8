using System.Text.Json;
using EdgeLlm.Api.Errors;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// The <c>response_format</c> field. This server has no structured output yet, so a request for JSON
/// (<c>json_object</c>, <c>json_schema</c>, or any other format than text) is refused rather than answered
/// with free text as if it had been honoured.
/// </summary>
internal static class ResponseFormatField
{
    /// <summary>Null when the field is absent, null or <c>{"type":"text"}</c>; else the 400 naming it.</summary>
    public static ApiError? Check(JsonElement? responseFormat) =>
        responseFormat is not { ValueKind: not JsonValueKind.Null } format || IsText(format)
            ? null
            : new ApiError(
                400,
                ErrorCodes.InvalidParameter,
                "Structured output is not supported yet: response_format can only be {\"type\":\"text\"} or left out.",
                "response_format");

    private static bool IsText(JsonElement format) =>
        format.ValueKind == JsonValueKind.Object
        && format.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
        && TextField.Read(type, "response_format.type").Text == "text";
}
