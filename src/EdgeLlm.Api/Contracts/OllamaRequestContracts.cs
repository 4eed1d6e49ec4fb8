using System.Text.Json;

namespace EdgeLlm.Api.Contracts;

/// <summary>Body of <c>POST /api/chat</c> (Ollama's contract; unknown fields are ignored).</summary>
public sealed class OllamaChatRequest
{
    /// <summary><c>name</c> or <c>name:latest</c>.</summary>
    public string? Model { get; set; }

    public List<OllamaMessageDto>? Messages { get; set; }

    /// <summary>Not served here (400 when given non-empty): tool calling is on <c>/v1/chat/completions</c>.</summary>
    public JsonElement? Tools { get; set; }

    /// <summary><c>"json"</c> or a JSON Schema object.</summary>
    public JsonElement? Format { get; set; }

    /// <summary>Sampling options by Ollama's names (<c>temperature</c>, <c>num_predict</c>, <c>stop</c> …).</summary>
    public JsonElement? Options { get; set; }

    /// <summary>Default true, as in Ollama.</summary>
    public bool? Stream { get; set; }

    /// <summary>A number of seconds or a duration string (<c>"5m"</c>); see the README for what it can do here.</summary>
    public JsonElement? KeepAlive { get; set; }

    /// <summary>Only <c>false</c> (or absent) is served: no model here thinks aloud.</summary>
    public JsonElement? Think { get; set; }
}

public sealed class OllamaMessageDto
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    /// <summary>Base64 images: refused, no model here sees.</summary>
    public List<string>? Images { get; set; }

    public JsonElement? ToolCalls { get; set; }
}

/// <summary>Body of <c>POST /api/generate</c>.</summary>
public sealed class OllamaGenerateRequest
{
    public string? Model { get; set; }

    /// <summary>Absent or empty: only load the model (Ollama's preload call).</summary>
    public string? Prompt { get; set; }

    /// <summary>A system message put before the prompt in the model's chat template (ignored when raw).</summary>
    public string? System { get; set; }

    /// <summary>True: the prompt is sent as it is, without the chat template.</summary>
    public bool? Raw { get; set; }

    public string? Suffix { get; set; }

    public string? Template { get; set; }

    public JsonElement? Context { get; set; }

    public List<string>? Images { get; set; }

    public JsonElement? Format { get; set; }

    public JsonElement? Options { get; set; }

    public bool? Stream { get; set; }

    public JsonElement? KeepAlive { get; set; }

    public JsonElement? Think { get; set; }
}

/// <summary>Body of <c>POST /api/embed</c>.</summary>
public sealed class OllamaEmbedRequest
{
    public string? Model { get; set; }

    /// <summary>A string or an array of strings.</summary>
    public JsonElement Input { get; set; }

    /// <summary>Default true, as in Ollama: an input longer than the context is cut to it; false refuses it.</summary>
    public bool? Truncate { get; set; }

    public int? Dimensions { get; set; }

    public JsonElement? Options { get; set; }

    public JsonElement? KeepAlive { get; set; }
}

/// <summary>Body of the older <c>POST /api/embeddings</c>: one prompt, one vector.</summary>
public sealed class OllamaEmbeddingsRequest
{
    public string? Model { get; set; }

    public string? Prompt { get; set; }

    public JsonElement? Options { get; set; }

    public JsonElement? KeepAlive { get; set; }
}

/// <summary>Body of <c>POST /api/show</c>; older clients send <c>name</c>.</summary>
public sealed class OllamaShowRequest
{
    public string? Model { get; set; }

    public string? Name { get; set; }

    public bool? Verbose { get; set; }
}
