using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Secrets;

/// <summary>
/// A daemon that uses two planted secrets for real (the MQTT password, given as a systemd credential, logs it in to a
/// broker that demands it; the API's TLS key, another credential, serves HTTPS), logging at its most verbose. Neither
/// secret may appear anywhere an operator, a log shipper or the fleet can read.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlantedSecretTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("edgellm-secrets-").FullName;

    [Fact]
    public async Task PlantedSecretsNeverReachTheLogsTheStatusTheSettingsTheStoresOrTheFleet()
    {
        var password = "planted-Pa55-" + Guid.NewGuid().ToString("N");
        var credentials = Directory.CreateDirectory(Path.Combine(_root, "credentials")).FullName;
        var tls = TestCertificates.Create(_root, "api-");
        var keyBody = string.Concat(File.ReadAllLines(tls.KeyFile).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        Credential(credentials, "mqtt-password", password + "\n");
        Credential(credentials, "api-tls-key", File.ReadAllText(tls.KeyFile));
        await using var broker = await MosquittoBroker.StartAsync(users: [("edge-7", password), ("fleet", "fleet-only")]);
        await using var fleet = await TestSubscriber.StartAsync(broker.Port, credentials: ("fleet", "fleet-only"));
        var https = new Uri($"https://127.0.0.1:{EdgeLlmProcess.FreeLoopbackPort()}/");
        var environment = new Dictionary<string, string>
        {
            ["CREDENTIALS_DIRECTORY"] = credentials,
            ["EDGELLM__Daemon__LogLevel"] = "Verbose",
            ["EDGELLM__Api__TlsCertificateFile"] = tls.CertFile,
            ["EDGELLM__Api__TlsKeyFile"] = "credential:api-tls-key",
            ["EDGELLM__Telemetry__BrokerUri"] = $"mqtt://127.0.0.1:{broker.Port}",
            ["EDGELLM__Telemetry__Username"] = "edge-7",
            ["EDGELLM__Telemetry__PasswordFile"] = "credential:mqtt-password",
            ["EDGELLM__Telemetry__Device"] = "edge-7",
            ["EDGELLM__Telemetry__SnapshotInterval"] = "00:00:01",
        };
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, environment: environment, moreUrls: [https.ToString().TrimEnd('/')]);
        await daemon.WaitUntilReadyAsync(Patience);
        var (_, created) = await EdgeLlmProcess.RunToEndAsync(["keys", "create", "--data-dir", daemon.DataDirectory, "--name", "ops", "--tenant", "ops", "--scope", "admin"]);
        var adminKey = created.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("ellm_", StringComparison.Ordinal));

        // The TLS key serves HTTPS (a client trusting only the test CA gets the status) and the password logs the
        // device in (its records reach the fleet through a broker that lets no one in without it).
        using var overTls = TrustingOnly(tls.CaFile, https, adminKey);
        await fleet.WaitUntilAsync(f => f.Records().Any(r => r.Kind == "metrics"), Patience, "a metrics snapshot from the device");
        var status = await overTls.GetStringAsync(new Uri("admin/status", UriKind.Relative));
        var updates = await overTls.GetStringAsync(new Uri("admin/updates", UriKind.Relative));
        Assert.Contains("\"connected\":true", status, StringComparison.Ordinal);
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));
        using var completion = await client.PostAsync(new Uri("v1/completions", UriKind.Relative), new StringContent("""{"prompt":"Once upon a time","max_tokens":8}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        using var refused = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        refused.Headers.Authorization = new AuthenticationHeaderValue("Bearer", password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(refused)).StatusCode);
        var metrics = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var (_, settings) = await EdgeLlmProcess.RunToEndAsync(["settings"]);
        Assert.Equal(0, await daemon.TerminateAsync(TimeSpan.FromSeconds(30)));

        var places = new Dictionary<string, byte[]>
        {
            ["the daemon's stdout and stderr"] = Encoding.UTF8.GetBytes(daemon.Output),
            ["/admin/status"] = Encoding.UTF8.GetBytes(status),
            ["/admin/updates"] = Encoding.UTF8.GetBytes(updates),
            ["/metrics"] = Encoding.UTF8.GetBytes(metrics),
            ["edgellm settings"] = Encoding.UTF8.GetBytes(settings),
            ["the fleet's messages"] = [.. fleet.Messages.SelectMany(m => TestSubscriber.Decode(m.Payload))],
        };
        foreach (var file in Directory.EnumerateFiles(daemon.DataDirectory, "*", SearchOption.AllDirectories))
        {
            places[file] = await File.ReadAllBytesAsync(file);
        }

        // The net is wide: the log file holds even the prompt, which only Debug writes.
        Assert.Contains(places, place => place.Key.Contains("edgellm-", StringComparison.Ordinal) && Encoding.UTF8.GetString(place.Value).Contains("Once upon a time", StringComparison.Ordinal));
        Assert.Contains(places.Keys, place => place.Contains("audit-", StringComparison.Ordinal));
        Assert.Contains(places.Keys, place => place.EndsWith("outbox.db", StringComparison.Ordinal));
        foreach (var (place, bytes) in places)
        {
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)) >= 0, $"the MQTT password is in {place}");
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(keyBody[..40])) >= 0, $"the TLS key is in {place}");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A credential as systemd's LoadCredential= leaves it: readable by the service's user alone.</summary>
    private static void Credential(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
    }

    private static HttpClient TrustingOnly(string caFile, Uri address, string key)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
