using EdgeLlm.Inference.Models;

namespace EdgeLlm.Api.Contracts;

public sealed record ModelList(string Object, IReadOnlyList<ModelDto> Data);

/// <summary>OpenAI's model object, with EdgeLlm's own facts under <c>edgellm</c> (clients ignore fields they do not know).</summary>
public sealed record ModelDto(string Id, string Object, long Created, string OwnedBy, ModelStateDto? Edgellm = null);

/// <summary>A served model's state (loaded, loading, unloaded, failed), its estimated footprint in bytes, when a request last used it, and its role (chat, embedding, guard).</summary>
public sealed record ModelStateDto(string State, long FootprintBytes, DateTimeOffset? LastUsed, string Role);

/// <summary>The states a model shows in <c>/v1/models</c> and <c>/admin/status</c>.</summary>
public static class ModelStates
{
    public const string Loaded = "loaded";

    public const string Loading = "loading";

    /// <summary>Not in memory (an on-demand model before its first request or after its keep-alive); a request loads it.</summary>
    public const string Unloaded = "unloaded";

    /// <summary>Its last load failed; requests are refused with 503 for a while, then it is tried again.</summary>
    public const string Failed = "failed";

    public static string Of(ModelState state) => state switch
    {
        ModelState.Loaded => Loaded,
        ModelState.Loading => Loading,
        ModelState.Failed => Failed,
        _ => Unloaded,
    };
}

public sealed record HealthStatus(string Status);
