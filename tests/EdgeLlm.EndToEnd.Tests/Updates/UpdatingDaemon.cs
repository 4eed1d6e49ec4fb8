using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// A data directory with a trusted publisher key (made by the real <c>minisign</c>) and an admin API key, and the
/// real daemon started on it (again after a kill or a crash), serving stories260K as its configured model.
/// Bundles are written the way a publisher does: <see cref="BundleWriter"/> (what <c>edgellm bundle create</c>
/// runs), then <c>minisign -Sm manifest.json</c>.
/// </summary>
internal sealed class UpdatingDaemon : IAsyncDisposable
{
    public const string ModelName = "stories260K";
    private readonly Minisign _minisign = new();
    private readonly string[] _settings;

    private UpdatingDaemon(string dataDirectory, string adminKey, string[] settings)
    {
        DataDirectory = dataDirectory;
        AdminKey = adminKey;
        _settings = settings;
    }

    public string DataDirectory { get; }

    public string AdminKey { get; }

    public string KeysDirectory => _minisign.Folder;

    public EdgeLlmProcess? Process { get; private set; }

    public string Staging => Path.Combine(DataDirectory, "staging");

    public string ModelVersions => Path.Combine(DataDirectory, "models", ModelName);

    public static async Task<UpdatingDaemon> CreateAsync(params string[] settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-updates-").FullName;
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", dataDirectory, "--name", "operator", "--tenant", "ops", "--scope", "admin", "--scope", "inference"]);
        var key = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ellm_", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"keys create failed ({exitCode}): {output}");
        var daemon = new UpdatingDaemon(dataDirectory, key, settings);
        daemon._minisign.CreateKey("publisher");
        return daemon;
    }

    /// <summary>The settings every start gets: the trusted keys and a quick drop-folder settle time.</summary>
    public IReadOnlyList<string> Arguments => ["--Updates:TrustedKeysDirectory", KeysDirectory, "--Updates:IncomingSettleTime", "00:00:00.300", .. _settings];

    /// <summary>Where the pull keeps an artifact's bytes between checks: named by the artifact's SHA-256.</summary>
    public string KeptDownload(string artifactFile) =>
        Path.Combine(Staging, "downloads", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(artifactFile))) + ".partial");

    /// <summary>Starts the daemon; <paramref name="faultPoint"/> names an <c>EDGELLM_FAULT_POINT</c> (a kill at an install step, or a fault in the probe or the scheduler).</summary>
    public async Task<EdgeLlmProcess> StartAsync(string? faultPoint = null, bool waitUntilReady = true)
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        var environment = faultPoint is null ? null : new Dictionary<string, string> { [SchedulerFaults.Variable] = faultPoint };
        Process = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, createKey: false, arguments: Arguments, environment: environment, dataDirectory: DataDirectory);
        if (waitUntilReady)
        {
            await Process.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        }

        return Process;
    }

    public HttpClient Admin(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Process!.Address, Timeout = timeout ?? TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>A signed bundle folder with <paramref name="files"/> (name → source file), its manifest asking for <paramref name="rollout"/> when given.</summary>
    public async Task<string> BundleAsync(long sequence, IReadOnlyDictionary<string, string>? files = null, TimeSpan? expiresIn = null, DateTimeOffset? created = null, JsonObject? rollout = null)
    {
        var source = Path.Combine(_minisign.Folder, $"source-{Guid.NewGuid():N}");
        Directory.CreateDirectory(source);
        files ??= new Dictionary<string, string> { ["stories260K.gguf"] = TestModels.Stories260K };
        var copies = new List<string>();
        foreach (var (name, from) in files)
        {
            File.Copy(from, Path.Combine(source, name));
            copies.Add(Path.Combine(source, name));
        }

        var folder = Path.Combine(_minisign.Folder, $"bundle-{sequence}-{Guid.NewGuid():N}");
        var made = created ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        await BundleWriter.WriteAsync(new BundleDescription("stories", "stable", sequence, made, made + (expiresIn ?? TimeSpan.FromDays(7)), "default"), copies, folder, CancellationToken.None);
        if (rollout is not null)
        {
            var manifest = Path.Combine(folder, "manifest.json");
            var document = JsonNode.Parse(await File.ReadAllTextAsync(manifest))!.AsObject();
            document["rollout"] = rollout;
            await File.WriteAllTextAsync(manifest, document.ToJsonString());
        }

        _minisign.Sign("publisher", Path.Combine(folder, "manifest.json"), $"stories {sequence}");
        Directory.Delete(source, recursive: true);
        return folder;
    }

    /// <summary>
    /// A channel index for <paramref name="folder"/>, as the publisher's <c>edgellm channel index</c> writes it (with any
    /// issue time, which the command itself always sets to now), signed with <c>minisign -Sm channel.json</c>.
    /// </summary>
    public async Task SignIndexAsync(string folder, long sequence, DateTimeOffset issued, TimeSpan validFor, string channel = "stable")
    {
        var path = await ChannelIndexFile.WriteAsync(new ChannelIndex(channel, sequence, issued, issued + validFor), folder, CancellationToken.None);
        _minisign.Sign("publisher", path, $"channel {channel} {sequence}");
    }

    /// <summary>Signs a file in <paramref name="folder"/> with the publisher key, as <c>minisign -Sm</c> does.</summary>
    public void Sign(string file) => _minisign.Sign("publisher", file, $"{Path.GetFileName(file)} signed");

    /// <summary>The bundle folder as one <c>.tar</c>, as uploaded or carried on a stick.</summary>
    public static string Tar(string folder)
    {
        var tar = folder + ".tar";
        if (File.Exists(tar))
        {
            return tar;
        }

        using (var stream = File.Create(tar))
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                writer.WriteEntry(file, Path.GetFileName(file));
            }
        }

        return tar;
    }

    public async Task<HttpResponseMessage> UploadAsync(string folder)
    {
        using var admin = Admin();
        using var content = new StreamContent(File.OpenRead(Tar(folder)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return await admin.PostAsync(new Uri("admin/updates", UriKind.Relative), content);
    }

    public async Task<JsonElement> StatusAsync()
    {
        using var admin = Admin();
        using var response = await admin.GetAsync(new Uri("admin/updates", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The model's catalog entry, or null when no update ever installed it.</summary>
    public static JsonElement? Model(JsonElement status) =>
        status.GetProperty("installed").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("name").GetString() == ModelName);

    /// <summary>Every model the daemon serves (name → file), per its own registry.</summary>
    public static Dictionary<string, string> Serving(JsonElement status) =>
        status.GetProperty("serving").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>The file the daemon serves the model from, per its own registry.</summary>
    public static string? ServingPath(JsonElement status) =>
        status.GetProperty("serving").TryGetProperty(ModelName, out var path) ? path.GetString() : null;

    /// <summary>The active version's name, or null when the configured file serves.</summary>
    public static string? ActiveVersion(JsonElement status) =>
        Model(status)?.GetProperty("active") is { ValueKind: JsonValueKind.Object } active ? active.GetProperty("version").GetString() : null;

    /// <summary><c>GET /admin/rollouts</c>: every rollout journaled, newest first.</summary>
    public async Task<JsonElement> RolloutsAsync()
    {
        using var admin = Admin();
        using var response = await admin.GetAsync(new Uri("admin/rollouts", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rollouts").Clone();
    }

    /// <summary>
    /// The one rollout once promoted or aborted. It should take <paramref name="expected"/>; the wait allows 20 s more, as
    /// the request load on a shared machine may delay the judging, and fails with the rollout and the traffic so far.
    /// </summary>
    public async Task<JsonElement> WaitUntilRolloutFinishedAsync(RolloutTraffic traffic, TimeSpan expected)
    {
        var deadline = DateTime.UtcNow + expected + TimeSpan.FromSeconds(20);
        while (true)
        {
            var rollout = Assert.Single((await RolloutsAsync()).EnumerateArray());
            if (rollout.GetProperty("state").GetString() is "aborted" or "promoted")
            {
                return rollout;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The rollout did not finish within {(expected + TimeSpan.FromSeconds(20)).TotalSeconds} s: {rollout}; answers: {traffic}.");
            await Task.Delay(100);
        }
    }

    /// <summary><c>GET /admin/status</c>.</summary>
    public async Task<JsonElement> AdminStatusAsync()
    {
        using var admin = Admin();
        using var response = await admin.GetAsync(new Uri("admin/status", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Runs an update check now (<c>POST /admin/updates/check</c>); its outcome.</summary>
    public async Task<string?> CheckAsync()
    {
        using var admin = Admin();
        using var response = await admin.PostAsync(new Uri("admin/updates/check", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outcome").GetString();
    }

    /// <summary>The events the daemon wrote to its telemetry outbox for the fleet.</summary>
    public List<(string Kind, string Data)> OutboxEvents()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(DataDirectory, "outbox.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, data FROM records ORDER BY seq";
        using var reader = command.ExecuteReader();
        var events = new List<(string, string)>();
        while (reader.Read())
        {
            events.Add((reader.GetString(0), reader.GetString(1)));
        }

        return events;
    }

    public async Task<int> CompleteAsync() => (await CompleteAsync(ModelName)).Status;

    /// <summary>A short completion on <paramref name="model"/>: the HTTP status, and the error's code when refused.</summary>
    public async Task<(int Status, string? Code)> CompleteAsync(string model)
    {
        using var admin = Admin();
        using var response = await admin.PostAsync(
            new Uri("v1/completions", UriKind.Relative),
            JsonContent.Create(new Dictionary<string, object> { ["model"] = model, ["prompt"] = "Once upon a time", ["max_tokens"] = 8, ["temperature"] = 0 }));
        var code = response.IsSuccessStatusCode
            ? null
            : JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString();
        return ((int)response.StatusCode, code);
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        _minisign.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
