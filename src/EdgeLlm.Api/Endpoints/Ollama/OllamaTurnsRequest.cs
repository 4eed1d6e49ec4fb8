using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Chat;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// A <c>/api/chat</c> or <c>/api/generate</c> body as its endpoint read it: the fields both carry, the turns it made of
/// its own fields (none: Ollama's preload call) or why it refused them, and whether the last turn is already the
/// whole prompt (<c>raw</c>, written by the client with the template's control tokens).
/// </summary>
internal sealed record OllamaTurnsRequest(
    string? Model,
    JsonElement? Options,
    JsonElement? Format,
    JsonElement? KeepAlive,
    JsonElement? Think,
    bool? Stream,
    IReadOnlyList<ChatMessage>? Turns,
    ApiError? TurnsError,
    bool Raw);
