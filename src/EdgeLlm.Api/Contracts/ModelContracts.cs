namespace EdgeLlm.Api.Contracts;

public sealed record ModelList(string Object, IReadOnlyList<ModelDto> Data);

/// <summary>OpenAI's model object, with EdgeLlm's own facts under <c>edgellm</c> (clients ignore fields they do not know).</summary>
public sealed record ModelDto(string Id, string Object, long Created, string OwnedBy, ModelStateDto? Edgellm = null);

/// <summary>A served model's state, its estimated footprint in bytes and when a request was last admitted to it.</summary>
public sealed record ModelStateDto(string State, long FootprintBytes, DateTimeOffset? LastUsed);

/// <summary>The states a model shows in <c>/v1/models</c> and <c>/admin/status</c>.</summary>
public static class ModelStates
{
    /// <summary>Loaded and served: every entry of the registry.</summary>
    public const string Loaded = "loaded";
}

public sealed record HealthStatus(string Status);
