using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Telemetry.Tests;

public sealed class TelemetryOptionsTests
{
    [Fact]
    public void TheDefaultsWithAnOutboxPathAreValid() => Assert.Empty(Validate(new TelemetryOptions { OutboxPath = "/tmp/outbox.db" }));

    [Theory]
    [InlineData("site/with/slashes")]
    [InlineData("wild+card")]
    [InlineData("multi#level")]
    [InlineData("")]
    public void ASiteThatIsNotOneSafeTopicLevelIsRefused(string site) =>
        Assert.Contains(Validate(Valid(o => o.Site = site)), r => r.MemberNames.Contains(nameof(TelemetryOptions.Site)));

    [Fact]
    public void AClientCertificateWithoutItsKeyIsRefused() =>
        Assert.Contains(Validate(Valid(o => o.ClientCertificatePath = typeof(TelemetryOptionsTests).Assembly.Location)), r => r.ErrorMessage!.Contains("ClientKeyPath", StringComparison.Ordinal));

    [Fact]
    public void ACaFileThatDoesNotExistIsNamed() =>
        Assert.Contains(Validate(Valid(o => o.CaCertificatePath = "/nonexistent/ca.pem")), r => r.ErrorMessage!.Contains("/nonexistent/ca.pem", StringComparison.Ordinal));

    [Fact]
    public void DurationsTooShortToBeMeantAreRefused()
    {
        var results = Validate(Valid(o =>
        {
            o.SnapshotInterval = TimeSpan.FromMilliseconds(10);
            o.ReconnectDelayMax = TimeSpan.FromMilliseconds(1);
        }));

        Assert.Contains(results, r => r.MemberNames.Contains(nameof(TelemetryOptions.SnapshotInterval)));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(TelemetryOptions.ReconnectDelayMax)));
    }

    [Fact]
    public void AnOtlpEndpointMustBeAnAbsoluteHttpAddress() =>
        Assert.Contains(Validate(Valid(o => o.OtlpEndpoint = new Uri("file:///etc/passwd"))), r => r.MemberNames.Contains(nameof(TelemetryOptions.OtlpEndpoint)));

    [Fact]
    public void TheDefaultDeviceIsTheHostNameMadeTopicSafe()
    {
        Assert.Equal("edge_box_1.local", TopicName.FromHost("edge box#1.local"));
        Assert.Equal(new string('a', 64), TopicName.FromHost(new string('a', 100)));
        Assert.Equal(8883, new TelemetryOptions().EffectiveBrokerPort);
        Assert.Equal(1883, new TelemetryOptions { UseTls = false }.EffectiveBrokerPort);
    }

    private static TelemetryOptions Valid(Action<TelemetryOptions> change)
    {
        var options = new TelemetryOptions { OutboxPath = "/tmp/outbox.db" };
        change(options);
        return options;
    }

    private static List<ValidationResult> Validate(TelemetryOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
