using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// A JSON answer written through Ollama's own contract (<see cref="Contracts.OllamaJsonContext"/>: absent fields left
/// out), not the <c>/v1</c> context the typed <c>Ok&lt;T&gt;</c> results write with.
/// </summary>
internal static class OllamaJson
{
    public static ContentHttpResult Write<T>(T value, JsonTypeInfo<T> type) =>
        TypedResults.Content(JsonSerializer.Serialize(value, type), "application/json", Encoding.UTF8);
}
