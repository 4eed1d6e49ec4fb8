using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Testing;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Tests.Hosting;

/// <summary>The daemon as <c>edgellm serve</c> composes it refuses to start on a model's bad settings, naming each (what <c>serve</c> prints before exiting 2).</summary>
public sealed class ModelSettingsValidationTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edgellm-model-settings-");

    [Fact]
    public async Task AModelsOutOfRangeOverrideAndAnAliasThatIsAnotherModelsNameStopTheStartNamingEachSetting()
    {
        var arguments = new ServeArguments(_data.FullName, TestModels.Stories260K, "http://127.0.0.1:0", null,
        [
            "--Inference:Models:1:Name", "tiny",
            "--Inference:Models:1:Path", TestModels.TinyRandomLlama2,
            "--Inference:Models:1:ContextSize", "10",
            "--Inference:Models:1:Aliases:0", "stories260K",
        ]);
        await using var app = DaemonHost.Build(arguments);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Equal(2, refused.Failures.Count());
        Assert.Contains(refused.Failures, f => f.Contains("Inference:Models:1:ContextSize ('tiny'): The field ContextSize must be between 64 and", StringComparison.Ordinal));
        Assert.Contains(refused.Failures, f => f.Contains("Inference:Models:1:Aliases ('tiny'): 'stories260K' is already a model name or alias.", StringComparison.Ordinal));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
