using EdgeLlm.Daemon.Settings;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Tests.Settings;

[Collection(ProcessEnvironment.Name)]
public sealed class UnknownSettingsTests : IDisposable
{
    private readonly SettingsScratch _scratch = new();

    [Fact]
    public void AMisspeltKeyInTheFileIsNamedWithTheFileAndTheNearestSetting()
    {
        var failure = Assert.Single(Failures("""{ "Updates": { "PulUrl": "https://updates.lan/" } }"""));

        Assert.Equal($"Updates:PulUrl is not a setting (in {_scratch.ConfigFile}); did you mean Updates:PullUrl?", failure);
    }

    [Fact]
    public void ARenamedTelemetryKeySaysWhatReplacedIt()
    {
        var failures = Failures("""{ "Telemetry": { "BrokerHost": "broker.lan", "UseTls": true, "CaCertificatePath": "/etc/ca.pem" } }""");

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Telemetry:BrokerHost is not a setting", StringComparison.Ordinal) && f.EndsWith("replaced by Telemetry:BrokerUri (mqtts://host:port)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Telemetry:UseTls is not a setting", StringComparison.Ordinal) && f.Contains("scheme of Telemetry:BrokerUri", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Telemetry:CaCertificatePath is not a setting", StringComparison.Ordinal) && f.EndsWith("Telemetry:CaCertificateFile", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownKeyOnTheCommandLineIsNamedAsItWasTyped()
    {
        var failure = Assert.Single(Failures("{}", "--Inference:ContextSiz", "4096"));

        Assert.Equal("Inference:ContextSiz is not a setting (on the command line, --Inference:ContextSiz); did you mean Inference:ContextSize?", failure);
    }

    [Fact]
    public void AnUnknownKeyInTheEnvironmentIsNamedAsTheVariable()
    {
        const string variable = "EDGELLM__Retrieval__ChunkToken";
        Environment.SetEnvironmentVariable(variable, "300");
        try
        {
            var failure = Assert.Single(Failures("{}"));

            Assert.Equal("Retrieval:ChunkToken is not a setting (from the environment variable EDGELLM__Retrieval__ChunkToken); did you mean Retrieval:ChunkTokens?", failure);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void AKeyInsideAListItemIsCheckedAndTheSuggestionKeepsItsIndex()
    {
        var failure = Assert.Single(Failures("""{ "Inference": { "Models": [ { "Path": "/m/a.gguf" }, { "Path": "/m/b.gguf", "Nmae": "b" } ] } }"""));

        Assert.StartsWith("Inference:Models:1:Nmae is not a setting", failure, StringComparison.Ordinal);
        Assert.EndsWith("did you mean Inference:Models:1:Name?", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AListGivenOneValueIsRefusedInsteadOfBeingIgnored()
    {
        var failure = Assert.Single(Failures("""{ "Api": { "AllowedHosts": "edge.lan" } }"""));

        Assert.StartsWith("Api:AllowedHosts is a list: give its items as Api:AllowedHosts:0", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ASectionOfAnotherProgramIsNotASetting()
    {
        var failure = Assert.Single(Failures("""{ "Kestrel": { "Limits": { "MaxRequestBodySize": 1 } } }"""));

        Assert.StartsWith("Kestrel:Limits:MaxRequestBodySize is not a setting", failure, StringComparison.Ordinal);
        Assert.EndsWith("'edgellm settings' lists every setting", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySettingInTheTableIsAcceptedWhateverTheCase()
    {
        var settings = SettingsCatalog.All
            .Where(s => SettingsCatalog.ListElement(s.Property.PropertyType) is null)
            .SelectMany(s => new[] { "--" + s.Key.Replace(":N:", ":0:", StringComparison.Ordinal).ToLowerInvariant(), "1" })
            .ToArray();

        Assert.Empty(Failures("""{ "Api": { "AllowedHosts": ["edge.lan", "10.0.0.5"], "CorsOrigins": [] }, "Inference": { "Models": [ { "Name": "m", "Path": "/m.gguf" } ] } }""", settings));
    }

    [Fact]
    public void TheDaemonsOwnCommandLineOptionsAreSettings()
    {
        var arguments = new EdgeLlm.Daemon.Hosting.ServeArguments(_scratch.Directory, "/models/m.gguf", "http://127.0.0.1:9000", null, []);

        Assert.Empty(UnknownSettings.Find(SettingsSources.Add(new ConfigurationManager(), arguments).Build()));
    }

    [Fact]
    public void LoadingRefusesUnknownKeysWithEveryFailureListed()
    {
        var exception = Assert.Throws<InvalidSettingsException>(() => SettingsSources.Load(_scratch.Arguments("""{ "Api": { "Urlz": "x" }, "Daemon": { "LogLevl": "Debug" } }""")));

        Assert.Equal(2, exception.Failures.Count);
    }

    public void Dispose() => _scratch.Dispose();

    private List<string> Failures(string json, params string[] settings) =>
        UnknownSettings.Find(SettingsSources.Add(new ConfigurationManager(), _scratch.Arguments(json, settings)).Build());
}
