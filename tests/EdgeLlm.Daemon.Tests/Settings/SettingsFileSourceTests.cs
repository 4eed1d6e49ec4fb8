using EdgeLlm.Daemon.Settings;
using EdgeLlm.Telemetry;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Tests.Settings;

public sealed class SettingsFileSourceTests : IDisposable
{
    private readonly SettingsScratch _scratch = new();

    [Fact]
    public void ANullLeavesTheSettingAtItsDefault()
    {
        var telemetry = Load("""{ "Telemetry": { "Site": null, "Device": "line-3", "BrokerUri": null } }""").GetSection("Telemetry").Get<TelemetryOptions>()!;

        Assert.Equal(new TelemetryOptions().Site, telemetry.Site);
        Assert.Equal("line-3", telemetry.Device);
        Assert.Null(telemetry.BrokerUri);
    }

    [Fact]
    public void ListsAndNestedObjectsBecomeIndexedKeys()
    {
        var configuration = Load("""{ "Api": { "AllowedHosts": ["edge.lan", "10.0.0.5"] }, "Inference": { "Models": [ { "Path": "/m.gguf" } ], "Threads": 4 } }""");

        Assert.Equal("10.0.0.5", configuration["Api:AllowedHosts:1"]);
        Assert.Equal("/m.gguf", configuration["Inference:Models:0:Path"]);
        Assert.Equal("4", configuration["Inference:Threads"]);
    }

    [Fact]
    public void AKeyGivenTwiceIsRefused()
    {
        var exception = Assert.Throws<InvalidDataException>(() => Load("""{ "Api": { "Urls": "http://127.0.0.1:1", "urls": "http://127.0.0.1:2" } }"""));

        Assert.Contains("Api:urls is given twice", exception.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileLargerThanAnySettingsFileIsRefused()
    {
        var exception = Assert.Throws<InvalidDataException>(() => Load($$"""{ "Api": { "Urls": "{{new string('x', (int)SettingsFileSource.MaxBytes)}}" } }"""));

        Assert.Contains("larger than", exception.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATopLevelThatIsNotAnObjectIsRefused()
    {
        var exception = Assert.Throws<InvalidDataException>(() => Load("""["Api"]"""));

        Assert.Contains("must be a JSON object", exception.InnerException!.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Dispose();

    private IConfigurationRoot Load(string json) => SettingsSources.Add(new ConfigurationManager(), _scratch.Arguments(json)).Build();
}
