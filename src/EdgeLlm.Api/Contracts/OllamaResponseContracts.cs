using System.Text.Json;

namespace EdgeLlm.Api.Contracts;

/// <summary>
/// One line of a streamed <c>/api/chat</c> answer, or the whole answer. The last (<see cref="Done"/> true) carries
/// the reason and the counts; durations are in nanoseconds.
/// </summary>
public sealed record OllamaChatChunk(
    string Model,
    string CreatedAt,
    OllamaMessageOut Message,
    bool Done,
    string? DoneReason = null,
    long? TotalDuration = null,
    long? LoadDuration = null,
    int? PromptEvalCount = null,
    long? PromptEvalDuration = null,
    int? EvalCount = null,
    long? EvalDuration = null);

public sealed record OllamaMessageOut(string Role, string Content);

/// <summary>One line of a streamed <c>/api/generate</c> answer, or the whole answer (see <see cref="OllamaChatChunk"/>).</summary>
public sealed record OllamaGenerateChunk(
    string Model,
    string CreatedAt,
    string Response,
    bool Done,
    string? DoneReason = null,
    long? TotalDuration = null,
    long? LoadDuration = null,
    int? PromptEvalCount = null,
    long? PromptEvalDuration = null,
    int? EvalCount = null,
    long? EvalDuration = null);

public sealed record OllamaEmbedResponse(string Model, IReadOnlyList<float[]> Embeddings, long TotalDuration, long LoadDuration, int PromptEvalCount);

public sealed record OllamaEmbeddingsResponse(float[] Embedding);

public sealed record OllamaModelList(IReadOnlyList<OllamaModelDto> Models);

/// <summary>A served model as <c>/api/tags</c> lists it: <see cref="Name"/> is <c>name:latest</c>.</summary>
public sealed record OllamaModelDto(string Name, string Model, string ModifiedAt, long Size, string Digest, OllamaModelDetails Details);

public sealed record OllamaModelDetails(string ParentModel, string Format, string Family, IReadOnlyList<string> Families, string ParameterSize, string QuantizationLevel);

public sealed record OllamaRunningModelList(IReadOnlyList<OllamaRunningModelDto> Models);

/// <summary>A model in memory as <c>/api/ps</c> lists it; <see cref="ExpiresAt"/> is when its keep-alive runs out (far away for a pinned model).</summary>
public sealed record OllamaRunningModelDto(
    string Name, string Model, long Size, string Digest, OllamaModelDetails Details, string ExpiresAt, long SizeVram, int ContextLength);

public sealed record OllamaShowResponse(
    string Modelfile, string Parameters, string Template, OllamaModelDetails Details, IReadOnlyDictionary<string, JsonElement> ModelInfo, IReadOnlyList<string> Capabilities, string ModifiedAt);

/// <summary><c>/api/version</c>: the Ollama API version whose contract this follows, and the daemon's own.</summary>
public sealed record OllamaVersionResponse(string Version, string Edgellm);

/// <summary>An error under <c>/api</c> in Ollama's shape, which Ollama clients surface, with the stable code beside it.</summary>
public sealed record OllamaErrorResponse(string Error, string Code, string? Param);
