using System.Text.Json;

namespace EdgeLlm.Api.Contracts;

/// <summary>Body of <c>POST /v1/embeddings</c>.</summary>
public sealed class EmbeddingRequest
{
    public string? Model { get; set; }

    /// <summary>A string or an array of strings.</summary>
    public JsonElement Input { get; set; }

    /// <summary><c>float</c> (default) or <c>base64</c> (little-endian float32, what the OpenAI SDKs ask for).</summary>
    public string? EncodingFormat { get; set; }

    public int? Dimensions { get; set; }

    public string? User { get; set; }
}

public sealed record EmbeddingResponse(string Object, IReadOnlyList<EmbeddingItem> Data, string Model, EmbeddingUsage Usage);

/// <summary>One vector; <see cref="Embedding"/> is a float array or a base64 string.</summary>
public sealed record EmbeddingItem(string Object, int Index, JsonElement Embedding);

public sealed record EmbeddingUsage(int PromptTokens, int TotalTokens);
