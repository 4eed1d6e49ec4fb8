using System.Text.Json;
using EdgeLlm.Api.Errors;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>The parts of Ollama's contract this appliance does not serve, refused with a 400 that says so and where to go.</summary>
internal static class OllamaUnsupported
{
    /// <summary>400 <c>invalid_parameter</c> naming <paramref name="param"/>.</summary>
    public static ApiError Field(string param, string message) => new(400, ErrorCodes.InvalidParameter, message, param);

    /// <summary><c>think</c>: absent or false is served; asking for thinking is refused (no model here thinks aloud).</summary>
    public static ApiError? Thinking(JsonElement? think) => think switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.False } => null,
        _ => Field("think", "No model on this appliance thinks aloud; send think: false or leave it out."),
    };
}
