using System.Text.Json;
using EdgeLlm.Api.Errors;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Text read from a request, checked as well-formed Unicode. JSON may carry a lone surrogate escape
/// (<c>"\ud800"</c>) or invalid UTF-8 bytes inside a string; System.Text.Json only finds out when the
/// string is materialised, and then throws. Every string a handler takes from a <see cref="JsonElement"/>
/// goes through <see cref="Read"/>, so such text is a 400 <c>invalid_text</c> naming the field, never a 500.
/// </summary>
internal static class TextField
{
    /// <summary>The string of a JSON string element, or 400 <c>invalid_text</c> naming <paramref name="param"/>.</summary>
    public static (string? Text, ApiError? Error) Read(JsonElement element, string param)
    {
        try
        {
            return (element.GetString(), null);
        }
        catch (InvalidOperationException)
        {
            // GetString throws this (and only this) for a lone surrogate or bytes that are not UTF-8;
            // the caller has already checked that the element is a string.
            return (null, Invalid(param));
        }
    }

    /// <summary>400 <c>invalid_text</c> for the field at <paramref name="param"/> (a JSON path such as <c>messages[2].content</c>).</summary>
    public static ApiError Invalid(string param) =>
        new(400, ErrorCodes.InvalidText, $"{param} is not well-formed Unicode text (a lone surrogate or bytes that are not UTF-8).", param);
}
