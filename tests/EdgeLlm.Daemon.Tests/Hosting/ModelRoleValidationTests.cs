using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Testing;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Tests.Hosting;

/// <summary>The daemon as <c>edgellm serve</c> composes it refuses to start on a role it does not know, naming the setting.</summary>
public sealed class ModelRoleValidationTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edgellm-model-role-");

    [Fact]
    public async Task AnUnknownRoleStopsTheStartNamingTheModelsRoleSetting()
    {
        var arguments = new ServeArguments(_data.FullName, TestModels.Stories260K, "http://127.0.0.1:0", null, ["--Inference:Models:0:Role", "embeddings"]);
        await using var app = DaemonHost.Build(arguments);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(refused.Failures, f => f.Contains("Inference:Models:0:Role ('stories260K') 'embeddings' is not a role; use one of chat, embedding, guard.", StringComparison.Ordinal));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
