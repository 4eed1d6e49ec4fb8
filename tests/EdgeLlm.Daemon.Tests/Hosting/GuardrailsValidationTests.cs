using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Testing;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Tests.Hosting;

/// <summary>The daemon as <c>edgellm serve</c> composes it refuses a provisioned policy it cannot enforce, saying why.</summary>
public sealed class GuardrailsValidationTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edgellm-guardrails-");

    [Fact]
    public async Task APolicyWhoseGuardIsNoConfiguredGuardModelStopsTheStartNamingTheTenantAndModel()
    {
        var policy = Policy("""{ "version": "1", "tenants": { "acme": { "guard": { "model": "llama-guard", "categories": ["S1"] } } } }""");

        var refused = await StartAsync("--Guardrails:PolicyFile", policy);

        Assert.Contains(refused.Failures, f => f.Contains("the policy of tenant 'acme' names guard model 'llama-guard'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APolicyFileThatFailsValidationStopsTheStartWithItsJsonPath()
    {
        var policy = Policy("""{ "version": "1", "failure_mode": "sideways" }""");

        var refused = await StartAsync("--Guardrails:PolicyFile", policy);

        Assert.Contains(refused.Failures, f => f.Contains("is refused at $.failure_mode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownPhoneRegionStopsTheStart()
    {
        var refused = await StartAsync("--Guardrails:PhoneRegion", "XX");

        Assert.Contains(refused.Failures, f => f.Contains("Guardrails:PhoneRegion 'XX'", StringComparison.Ordinal));
    }

    private string Policy(string json)
    {
        var file = Path.Combine(_data.FullName, "policy.json");
        File.WriteAllText(file, json);
        return file;
    }

    private async Task<OptionsValidationException> StartAsync(params string[] settings)
    {
        var arguments = new ServeArguments(_data.FullName, TestModels.Stories260K, "http://127.0.0.1:0", null, settings);
        await using var app = DaemonHost.Build(arguments);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    public void Dispose() => _data.Delete(recursive: true);
}
