using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLlm.Api.Contracts;

/// <summary>
/// Source-generated JSON for the wire contract: snake_case like the OpenAI API, no reflection on the hot path.
/// The server's typed results and the CLI's clients both read and write through it. Bodies nest at most 80 deep:
/// room for a response_format schema at the schema compiler's own depth limit (32 levels, two JSON levels each).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    MaxDepth = 80)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(CreateCollectionRequest))]
[JsonSerializable(typeof(CollectionDto))]
[JsonSerializable(typeof(CollectionList))]
[JsonSerializable(typeof(DocumentTextRequest))]
[JsonSerializable(typeof(IngestJobDto))]
[JsonSerializable(typeof(IngestJobList))]
[JsonSerializable(typeof(DocumentDto))]
[JsonSerializable(typeof(DocumentList))]
[JsonSerializable(typeof(DeletedDto))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(UpdateStatusDto))]
[JsonSerializable(typeof(UpdateResultDto))]
[JsonSerializable(typeof(RollbackResultDto))]
[JsonSerializable(typeof(StartRolloutRequest))]
[JsonSerializable(typeof(RolloutListDto))]
[JsonSerializable(typeof(RolloutDto))]
[JsonSerializable(typeof(AdminStatusDto))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(ApiKeyList))]
[JsonSerializable(typeof(CreatedKeyDto))]
[JsonSerializable(typeof(AuditList))]
[JsonSerializable(typeof(ModelStateChangeDto))]
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(ProblemDetailsResponse))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
