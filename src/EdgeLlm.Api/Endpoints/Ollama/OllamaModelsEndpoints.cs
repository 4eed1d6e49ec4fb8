using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// What Ollama clients ask about models: <c>GET /api/tags</c> (every served model, loaded or not, as
/// <c>name:latest</c>), <c>POST /api/show</c>, <c>GET /api/ps</c> (the models in memory, with when their keep-alive runs
/// out) and <c>GET /api/version</c>.
/// </summary>
internal static class OllamaModelsEndpoints
{
    /// <summary>The Ollama API version whose contract these routes follow; clients that gate features on it read this.</summary>
    public const string ApiVersion = "0.9.0";

    // A pinned model never expires; Ollama's clients parse a date, so it is one far away.
    private static readonly DateTimeOffset Never = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static ContentHttpResult Tags(ModelRegistry registry) =>
        OllamaJson.Write(new OllamaModelList([.. registry.Slots.Select(ToDto)]), OllamaJsonContext.Default.OllamaModelList);

    public static ContentHttpResult Running(ModelRegistry registry) =>
        OllamaJson.Write(
            new OllamaRunningModelList([.. registry.Slots.Where(s => s.Loaded is not null).Select(s => new OllamaRunningModelDto(
                OllamaModelNames.Listed(s.Name), OllamaModelNames.Listed(s.Name), s.Footprint.TotalBytes, Digest(s), Details(s), Time(ExpiresAt(s)), s.Placement.GpuBytes, s.Settings.ContextSize))]),
            OllamaJsonContext.Default.OllamaRunningModelList);

    public static ContentHttpResult Version() =>
        OllamaJson.Write(new OllamaVersionResponse(ApiVersion, DaemonVersion()), OllamaJsonContext.Default.OllamaVersionResponse);

    public static async Task<Results<ContentHttpResult, ApiError>> ShowAsync(HttpContext http, ModelRegistry registry)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, OllamaJsonContext.Default.OllamaShowRequest, anyContentType: true);
        if (error is not null)
        {
            return error;
        }

        var (name, nameError) = OllamaModelNames.Resolve(body!.Model ?? body.Name, registry);
        if (nameError is not null)
        {
            return nameError;
        }

        var slot = registry.FindSlot(name)!;
        var info = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["edgellm.role"] = Text(ModelRoles.Name(slot.Settings.Role)),
            ["edgellm.load_policy"] = Text(slot.Policy.Name()),
            ["edgellm.state"] = Text(ModelStates.Of(slot.State)),
            ["edgellm.context_length"] = JsonSerializer.SerializeToElement(slot.Settings.ContextSize, OllamaJsonContext.Default.Int32),
        };
        if (slot.Loaded?.Architecture is { Length: > 0 } architecture)
        {
            info["general.architecture"] = Text(architecture);
        }

        var file = Path.GetFileName(slot.Version.Path);
        return OllamaJson.Write(
            new OllamaShowResponse(
                $"# Served by EdgeLlm from a signed bundle, not built from a Modelfile.\nFROM {file}\n",
                $"num_ctx {slot.Settings.ContextSize}",
                "",
                Details(slot),
                info,
                Capabilities(slot.Settings.Role),
                Time(Modified(slot))),
            OllamaJsonContext.Default.OllamaShowResponse);
    }

    private static OllamaModelDto ToDto(ModelSlot slot) =>
        new(OllamaModelNames.Listed(slot.Name), OllamaModelNames.Listed(slot.Name), Time(Modified(slot)), FileSize(slot), Digest(slot), Details(slot));

    // The architecture is read from the file when it loads; an unloaded model's is not known yet.
    private static OllamaModelDetails Details(ModelSlot slot)
    {
        var family = slot.Loaded?.Architecture ?? "";
        return new("", "gguf", family, family.Length > 0 ? [family] : [], "", "");
    }

    // Chat models embed too (/v1/embeddings serves them); embedding models only embed; a guard model serves neither.
    private static IReadOnlyList<string> Capabilities(ModelRole role) => role switch
    {
        ModelRole.Chat => ["completion", "embedding"],
        ModelRole.Embedding => ["embedding"],
        _ => [],
    };

    private static DateTimeOffset ExpiresAt(ModelSlot slot) =>
        slot.Policy == ModelLoadPolicy.Pinned || slot.Loaded is null ? Never : (slot.LastUsed ?? slot.Loaded.LoadedAt) + slot.EffectiveKeepAlive;

    /// <summary>
    /// Identifies the version served under the name: a hash of its file's path, size and time, which an update changes.
    /// Not the hash of the file's content: that would read gigabytes per listing.
    /// </summary>
    private static string Digest(ModelSlot slot)
    {
        var path = Path.GetFullPath(slot.Version.Path);
        var identity = string.Create(CultureInfo.InvariantCulture, $"{path}\n{FileSize(slot)}\n{Modified(slot).UtcTicks}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    private static long FileSize(ModelSlot slot) => File.Exists(slot.Version.Path) ? new FileInfo(slot.Version.Path).Length : 0;

    private static DateTimeOffset Modified(ModelSlot slot) => File.GetLastWriteTimeUtc(slot.Version.Path);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value, OllamaJsonContext.Default.String);

    private static string DaemonVersion()
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(OllamaModelsEndpoints).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
