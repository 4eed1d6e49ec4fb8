namespace EdgeLlm.Telemetry.Tests;

public sealed class TelemetryDependencyTests
{
    [Fact]
    public void TelemetryReferencesNoOtherPartOfTheDaemon()
    {
        var parts = typeof(TelemetryOptions).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("EdgeLlm.", StringComparison.Ordinal) || name == "edgellm");

        Assert.Empty(parts);
    }
}
