using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Retrieval;
using EdgeLlm.EndToEnd.Tests.Updates;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// The real daemon the console tests share, started once: stories260K as its chat model (and, being the only model,
/// the one retrieval embeds with), a trusted publisher key for signed bundles (<see cref="UpdatingDaemon"/>), and a
/// key with the scopes admin, inference and ingest to sign in with, as an operator makes it with <c>edgellm keys create</c>.
/// </summary>
public sealed class ConsoleDaemon : IAsyncLifetime
{
    public const string ModelName = UpdatingDaemon.ModelName;

    /// <summary>The tenant of the sign-in key, and so of what the console creates.</summary>
    public const string Tenant = "ops";

    /// <summary>The name the sign-in key is listed under.</summary>
    public const string SignInKeyName = "console";

    /// <summary>The collection <see cref="SeedAsync"/> makes, holding <see cref="SeededDocument"/>.</summary>
    public const string SeededCollection = "site-manuals";

    public const string SeededDocument = "gateway-firmware-changelog.txt";

    /// <summary>The title the daemon reads from <see cref="SeededDocument"/>, which the console shows for it.</summary>
    public const string SeededDocumentTitle = "EdgeCtl GW-500 Gateway Firmware Changelog";

    /// <summary>The retrieval tests' documents, one fact each only they hold (see that folder's README).</summary>
    public static readonly string FixturesFolder = Path.Combine(TestModels.RepositoryRoot, "tests", "EdgeLlm.Retrieval.Tests", "Fixtures");

    private readonly Lazy<Task> _seeded;
    private UpdatingDaemon? _daemon;

    public ConsoleDaemon() => _seeded = new(SeedOnceAsync);

    internal UpdatingDaemon Daemon => _daemon ?? throw new InvalidOperationException("The daemon is not started.");

    public Uri Address => Daemon.Process!.Address;

    /// <summary>The key with the scopes admin, inference and ingest that signs in to the console.</summary>
    public string SignInKey { get; private set; } = "";

    /// <summary>A key with the inference scope only: valid, but not one the console accepts.</summary>
    public string InferenceOnlyKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _daemon = await UpdatingDaemon.CreateAsync();
        SignInKey = await CreateKeyAsync(SignInKeyName, "admin", "inference", "ingest");
        InferenceOnlyKey = await CreateKeyAsync("reader", "inference");
        await _daemon.StartAsync();
    }

    /// <summary>
    /// Data for every page to show, made once through the API with the sign-in key: <see cref="SeededCollection"/> with
    /// one ingested document, and an admin action (a key created and revoked) in the audit trail.
    /// </summary>
    public Task SeedAsync() => _seeded.Value;

    /// <summary>A client that sends <paramref name="key"/> as its bearer key.</summary>
    public HttpClient WithKey(string key)
    {
        var client = WithoutCredentials();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A client with no key, no cookie jar and no redirects followed: it sends only the headers a test sets.</summary>
    public HttpClient WithoutCredentials() =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>A signed bundle of stories260K as a <c>.tar</c> with <paramref name="sequence"/>, its version named <c>stable-{sequence}</c>.</summary>
    public async Task<string> SignedBundleAsync(long sequence) => UpdatingDaemon.Tar(await Daemon.BundleAsync(sequence));

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }

    private async Task SeedOnceAsync()
    {
        using var client = WithKey(SignInKey);
        await RetrievalDaemon.CreateCollectionAsync(client, SeededCollection);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(FixturesFolder, SeededDocument)));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", SeededDocument);
        using var upload = await client.PostAsync(new Uri($"/v1/collections/{SeededCollection}/documents", UriKind.Relative), form);
        var uploaded = await upload.Content.ReadAsStringAsync();
        Assert.True(upload.StatusCode == HttpStatusCode.Accepted, uploaded);
        var jobs = JsonDocument.Parse(uploaded).RootElement.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("id").GetString()!);
        var finished = await RetrievalDaemon.WaitForJobsAsync(client, SeededCollection, jobs);
        Assert.All(finished.Values, job => Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString()));

        using var created = await client.PostAsJsonAsync("/admin/keys", new { name = "seeded-then-revoked", tenant = Tenant, scopes = new[] { "inference" } });
        var key = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, key);
        using var revoked = await client.DeleteAsync(new Uri($"/admin/keys/{JsonDocument.Parse(key).RootElement.GetProperty("info").GetProperty("id").GetString()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
    }

    private async Task<string> CreateKeyAsync(string name, params string[] scopes)
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", Daemon.DataDirectory, "--name", name, "--tenant", Tenant, .. scopes.SelectMany(s => new[] { "--scope", s })]);
        var key = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        return exitCode == 0 && key is not null ? key : throw new InvalidOperationException($"'edgellm keys create' failed (exit {exitCode}):\n{output}");
    }
}
