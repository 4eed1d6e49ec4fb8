using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using EdgeLlm.Appliance.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace EdgeLlm.Appliance.Tests.Installed;

/// <summary>
/// The installed appliance, end to end (<see cref="InstalledAppliance"/>): the service provisioning installed, run
/// as its own user on the settings and credentials provisioning wrote, links up to a real broker over TLS with a
/// user name and a password file, and answers real clients over HTTPS that trust only the CA provisioning made.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed partial class InstalledApplianceTests(InstalledAppliance appliance) : IClassFixture<InstalledAppliance>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public void TheDaemonRunsOnTheProvisionedSettingsWithOnlyPathsMovedIntoTheRootAndPortsFreed()
    {
        var original = Flatten(File.ReadAllText(Path.Combine(appliance.Root, "etc", "edgellm", "edgellm.json")));
        var running = Flatten(File.ReadAllText(appliance.Settings.File));

        Assert.Equal(original.Keys.Order(), running.Keys.Order());
        Assert.All(original.Where(s => s.Key != "Api:Urls"), setting =>
            Assert.True(running[setting.Key] == setting.Value || (setting.Value.StartsWith('/') && running[setting.Key] == appliance.Root + setting.Value), setting.Key));
        Assert.Contains("Telemetry:PasswordFile", original.Keys);
        Assert.Equal("credential:mqtt-password", running["Telemetry:PasswordFile"]);
        Assert.Equal(appliance.Settings.Changes.Count, original.Count(s => running[s.Key] != s.Value));
    }

    [Fact]
    public async Task TheUplinkComesUpInAdminStatusReadOverHttpsWithTheProvisionedAdminKey()
    {
        var status = await AdminStatusOnceConnectedAsync();

        using var document = JsonDocument.Parse(status);
        Assert.Contains($"127.0.0.1:{appliance.Broker.TlsPort}", document.RootElement.GetProperty("uplink").GetProperty("broker").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(InstalledAppliance.DevicePassword, status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordFromTheApplianceArrivesAtAFleetSubscriberLoggedInWithItsOwnCredentials()
    {
        var topic = $"edgellm/default/{appliance.DeviceId}/";

        await appliance.Fleet.WaitUntilAsync(f => f.Records().Any(r => r.Topic.StartsWith(topic, StringComparison.Ordinal)), Patience, "a record from the installed appliance");

        Assert.Contains(appliance.Fleet.Records(), r => r.Topic.StartsWith(topic, StringComparison.Ordinal));
        Assert.Contains("u'device-e2e'", appliance.Broker.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOfficialOpenAiClientTrustingOnlyTheProvisionedCaIsAnsweredOverHttps()
    {
        var chat = ChatClientTrusting(appliance.CaFile);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Once upon a time")], new ChatCompletionOptions { MaxOutputTokenCount = 8, Temperature = 0 });

        Assert.NotEmpty(completion.Content[0].Text);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 8);
    }

    [Fact]
    public async Task AClientTrustingAnotherCaIsRefusedTheConnection()
    {
        var chat = ChatClientTrusting(appliance.OtherCaFile);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => chat.CompleteChatAsync([new UserChatMessage("Once upon a time")]));

        Assert.Contains(Causes(refused), e => e is AuthenticationException);
    }

    [Fact]
    public async Task ARefusedRequestIsWrittenToTheAuditFileOnDisk()
    {
        var logs = Path.Combine(appliance.Root, "var", "log", "edgellm");
        var wrongKey = appliance.AdminKey[..^6] + "wrong0";
        var before = AuditRecords(logs).Count(IsThisRefusal);
        using var client = appliance.HttpsClient(appliance.CaFile);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", wrongKey) } };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var timeout = new CancellationTokenSource(Patience);
        while (AuditRecords(logs).Count(IsThisRefusal) <= before)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }

        Assert.All(Directory.GetFiles(logs, "audit-*.json"), f => Assert.DoesNotContain(wrongKey, ReadShared(f), StringComparison.Ordinal));
        static bool IsThisRefusal(JsonElement record) =>
            record.TryGetProperty("Path", out var path) && path.GetString() == "/v1/models" && record.TryGetProperty("Status", out var status) && status.GetInt32() == 401;
    }

    [Fact]
    public async Task TheHealthCommandTrustsTheProvisionedCaOverHttpsAndRefusesAnother()
    {
        var https = appliance.Settings.Https.ToString();

        var withCa = await appliance.RunAsync("health", "--url", https, "--ca", appliance.CaFile);
        var beside = await appliance.RunAsync("health", "--ready", "--url", https, "--config", appliance.Settings.File);
        var otherCa = await appliance.RunAsync("health", "--url", https, "--ca", appliance.OtherCaFile);
        var loopback = await appliance.RunAsync("health", "--config", appliance.Settings.File);

        Assert.True(withCa.ExitCode == 0, withCa.ToString());
        Assert.True(beside.ExitCode == 0, beside.ToString());
        Assert.Equal(1, otherCa.ExitCode);
        Assert.True(loopback.ExitCode == 0, loopback.ToString());
        Assert.Contains(appliance.Settings.Http.ToString(), loopback.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>/admin/status, read over HTTPS with the provisioned admin key, once it shows the uplink connected.</summary>
    private async Task<string> AdminStatusOnceConnectedAsync()
    {
        using var client = appliance.HttpsClient(appliance.CaFile);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", appliance.AdminKey);
        var status = "";
        using var timeout = new CancellationTokenSource(Patience);
        while (!Connected(status))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            status = await client.GetStringAsync(new Uri("/admin/status", UriKind.Relative), timeout.Token);
        }

        return status;
    }

    private ChatClient ChatClientTrusting(string caFile) => new("stories", new ApiKeyCredential(appliance.AdminKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(appliance.Settings.Https, "/v1"),
        Transport = new HttpClientPipelineTransport(new HttpClient(CertificateAuthorityTrust.Handler(caFile))),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    private static bool Connected(string status)
    {
        if (status.Length == 0)
        {
            return false;
        }

        using var document = JsonDocument.Parse(status);
        return document.RootElement.GetProperty("uplink").GetProperty("connected").GetBoolean();
    }

    /// <summary>Every setting of a settings file (comments allowed) as <c>Section:Key</c> and its text.</summary>
    private static Dictionary<string, string> Flatten(string json)
    {
        var settings = new Dictionary<string, string>();
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Walk(document.RootElement, "");
        return settings;

        void Walk(JsonElement element, string key)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, key.Length == 0 ? property.Name : $"{key}:{property.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{key}:{index++}");
                    }

                    break;
                default:
                    settings[key] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                    break;
            }
        }
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    /// <summary>Every complete record in the daemon's audit files (compact JSON, a line each), read while Serilog holds them open.</summary>
    private static List<JsonElement> AuditRecords(string logs) =>
        [.. Directory.GetFiles(logs, "audit-*.json").SelectMany(f => ReadShared(f).Split('\n').SkipLast(1)).Where(l => l.Length > 0).Select(Record)];

    private static JsonElement Record(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
