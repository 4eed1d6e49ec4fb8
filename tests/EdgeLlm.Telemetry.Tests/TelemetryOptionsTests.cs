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
        Assert.Contains(Validate(Valid(o => o.ClientCertificateFile = typeof(TelemetryOptionsTests).Assembly.Location)), r => r.ErrorMessage!.Contains("ClientKeyFile", StringComparison.Ordinal));

    [Fact]
    public void ACaFileThatDoesNotExistIsNamed() =>
        Assert.Contains(Validate(Valid(o => o.CaCertificateFile = "/nonexistent/ca.pem")), r => r.ErrorMessage!.Contains("/nonexistent/ca.pem", StringComparison.Ordinal));

    [Fact]
    public void ACaFileWithAPlainBrokerIsRefused() =>
        Assert.Contains(
            Validate(Valid(o =>
            {
                o.BrokerUri = new Uri("mqtt://broker.lan");
                o.CaCertificateFile = typeof(TelemetryOptionsTests).Assembly.Location;
            })),
            r => r.MemberNames.Contains(nameof(TelemetryOptions.BrokerUri)));

    [Fact]
    public void APasswordWithoutAUserNameIsRefused() =>
        Assert.Contains(Validate(Valid(o => o.PasswordFile = typeof(TelemetryOptionsTests).Assembly.Location)), r => r.MemberNames.Contains(nameof(TelemetryOptions.Username)));

    [Theory]
    [InlineData("https://broker.lan")]
    [InlineData("mqtts://broker.lan/path")]
    [InlineData("mqtts://user:secret@broker.lan")]
    [InlineData("mqtts://broker.lan?x=1")]
    [InlineData("/var/run/broker")]
    public void ABrokerUriThatIsNotAnMqttAddressIsRefused(string uri) =>
        Assert.Contains(Validate(Valid(o => o.BrokerUri = new Uri(uri, UriKind.RelativeOrAbsolute))), r => r.MemberNames.Contains(nameof(TelemetryOptions.BrokerUri)));

    [Theory]
    [InlineData("mqtts://broker.lan", true, "broker.lan", 8883)]
    [InlineData("mqtts://broker.lan:9883", true, "broker.lan", 9883)]
    [InlineData("mqtt://10.0.0.5", false, "10.0.0.5", 1883)]
    [InlineData("mqtt://[fd00::5]:1884", false, "fd00::5", 1884)]
    public void TheBrokerUriGivesTheHostThePortAndWhetherToUseTls(string uri, bool tls, string host, int port)
    {
        var options = Valid(o => o.BrokerUri = new Uri(uri));

        Assert.Empty(Validate(options));
        Assert.True(options.UplinkEnabled);
        Assert.Equal(tls, options.UseTls);
        Assert.Equal(host, options.BrokerHost);
        Assert.Equal(port, options.EffectiveBrokerPort);
    }

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
        Assert.False(new TelemetryOptions().UplinkEnabled);
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
