using System.Text.Json.Nodes;
using EdgeLlm.Guardrails;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Storage;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Policies;

/// <summary>
/// A device's update side as the daemon composes it (<c>AddEdgeLlmInference</c>, <c>AddEdgeLlmGuardrails</c>,
/// <c>AddEdgeLlmUpdates</c>) over a scratch data directory with the real LiteDB state.db, trusting a key made by the
/// real minisign. Models are configured but never loaded: a policy bundle does not touch them. Time is a fake clock
/// (rollout windows: 10 minutes, 10 requests a side, two failed windows abort). <see cref="RestartAsync"/> builds the
/// composition again over the same data directory and runs the start-up's steps, as the next start does.
/// </summary>
internal sealed class PolicyDevice : IAsyncDisposable
{
    private readonly Minisign _minisign = new();
    private readonly string? _configuredPolicy;
    private long _sequence;
    private IHost _host;

    private PolicyDevice(string? configuredPolicy)
    {
        _minisign.CreateKey("publisher");
        Root = Directory.CreateTempSubdirectory("edgellm-policy-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "trusted-keys"));
        File.Copy(Path.Combine(_minisign.Folder, "publisher.pub"), Path.Combine(Root, "trusted-keys", "publisher.pub"));
        File.WriteAllBytes(Path.Combine(Root, "assistant.gguf"), new byte[16]);
        if (configuredPolicy is not null)
        {
            _configuredPolicy = Path.Combine(Root, "configured.policy.json");
            File.WriteAllText(_configuredPolicy, configuredPolicy);
        }

        _host = Compose();
    }

    public string Root { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    public static TimeSpan RolloutInterval => TimeSpan.FromMinutes(10);

    public CanaryRollouts Rollouts => _host.Services.GetRequiredService<CanaryRollouts>();

    public GuardrailEnforcer Enforcer => _host.Services.GetRequiredService<GuardrailEnforcer>();

    public PolicyStore Store => _host.Services.GetRequiredService<PolicyStore>();

    public UpdateInstaller Installer => _host.Services.GetRequiredService<UpdateInstaller>();

    public PolicyRollback Rollback => _host.Services.GetRequiredService<PolicyRollback>();

    public State.UpdateStateStore State => _host.Services.GetRequiredService<State.UpdateStateStore>();

    /// <summary>A device started for the first time: the configured policy (if any) in force, start-up recovery run.</summary>
    public static async Task<PolicyDevice> StartAsync(string? configuredPolicy = null)
    {
        var device = new PolicyDevice(configuredPolicy);
        await device.RunStartupAsync();
        return device;
    }

    /// <summary>Writes a bundle folder with <c>edgellm bundle create</c>'s writer and signs its manifest with minisign, as a publisher does.</summary>
    public async Task<string> PublishAsync(string policyJson, string name = "default", JsonObject? rollout = null)
    {
        var sequence = ++_sequence;
        var source = Path.Combine(_minisign.Folder, $"source-{sequence}");
        Directory.CreateDirectory(source);
        var file = Path.Combine(source, name + PolicyArtifacts.FileSuffix);
        await File.WriteAllTextAsync(file, policyJson);
        var now = DateTimeOffset.UtcNow;
        var folder = Path.Combine(_minisign.Folder, $"bundle-{sequence}");
        await BundleWriter.WriteAsync(new BundleDescription("policies", "stable", sequence, now.AddMinutes(-1), now.AddDays(30), "default"), [file], folder, CancellationToken.None);
        if (rollout is not null)
        {
            // A publisher asks for a canary in the manifest it signs.
            var manifest = Path.Combine(folder, BundleVerifier.ManifestFile);
            var document = JsonNode.Parse(await File.ReadAllTextAsync(manifest))!.AsObject();
            document["rollout"] = rollout;
            await File.WriteAllTextAsync(manifest, document.ToJsonString());
        }

        _minisign.Sign("publisher", Path.Combine(folder, BundleVerifier.ManifestFile), $"policies {sequence}");
        return folder;
    }

    /// <summary>Installs a bundle folder the way the drop folder and the upload do.</summary>
    public Task<InstallOutcome> InstallAsync(string bundle)
    {
        var stager = BundleFolder.StagerFor(bundle, _host.Services.GetRequiredService<BundleVerifier>(), _host.Services.GetRequiredService<BundleArchive>());
        return Installer.InstallAsync("test", stager, CancellationToken.None);
    }

    /// <summary>Installs a bundle folder a test needs in place before what it checks: anything but an install fails the test, saying why.</summary>
    public async Task InstalledAsync(string bundle)
    {
        var outcome = await InstallAsync(bundle);
        Assert.True(outcome is InstallOutcome.Installed, $"the set-up install gave {outcome}");
    }

    /// <summary>The daemon stops and starts again over the same data directory: a new composition, then the start-up's steps.</summary>
    public async Task RestartAsync()
    {
        _host.Dispose();
        _host = Compose();
        await RunStartupAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        _minisign.Dispose();
        Directory.Delete(Root, recursive: true);
        await Task.CompletedTask;
    }

    // What the host runs before it serves, minus loading models: install recovery (which opens installs), then the policy's start-up.
    private async Task RunStartupAsync()
    {
        _host.Services.GetRequiredService<StartupRecovery>().StartupModels(_host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<InferenceOptions>>().Value.Models);
        await _host.Services.GetServices<IHostedService>().OfType<PolicyStartup>().Single().StartAsync(CancellationToken.None);
    }

    private IHost Compose()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            ["Inference:Models:0:Path"] = Path.Combine(Root, "assistant.gguf"),
            ["Updates:TrustedKeysDirectory"] = Path.Combine(Root, "trusted-keys"),
            ["Guardrails:PolicyFile"] = _configuredPolicy,
            ["Updates:RolloutInterval"] = RolloutInterval.ToString(),
            ["Updates:RolloutMinSamples"] = "10",
            ["Updates:RolloutFailureLimit"] = "2",
        };
        builder.Configuration.AddInMemoryCollection(settings);
        var layout = new DataDirectoryLayout(Root);
        builder.Services.AddSingleton(layout);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton(_ => new StateDatabase(layout.StateDatabase));
        builder.Services.AddEdgeLlmInference();
        builder.Services.AddEdgeLlmGuardrails();
        builder.Services.AddEdgeLlmUpdates();
        return builder.Build();
    }
}
