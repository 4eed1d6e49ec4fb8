using System.Net.Http.Headers;
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

    private UpdatingDaemon? _daemon;

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

    private async Task<string> CreateKeyAsync(string name, params string[] scopes)
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", Daemon.DataDirectory, "--name", name, "--tenant", Tenant, .. scopes.SelectMany(s => new[] { "--scope", s })]);
        var key = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        return exitCode == 0 && key is not null ? key : throw new InvalidOperationException($"'edgellm keys create' failed (exit {exitCode}):\n{output}");
    }
}
