using EdgeLlm.Telemetry.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Telemetry.Tests.Mqtt;

public sealed class CommandDispatcherTests
{
    private static readonly MqttTopics Topics = MqttTopics.For("edgellm", "site-a", "dev-1");
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingTrigger _trigger = new();
    private readonly UplinkStatus _status = new();

    [Fact]
    public void AnUpdateCheckCommandAsksTheTriggerAndIsRecordedInTheStatus()
    {
        var outcome = Dispatcher().Handle("edgellm/site-a/dev-1/cmd/update-check", 2);

        Assert.Equal(CommandDispatcher.Outcome.UpdateCheckRequested, outcome);
        Assert.Equal(["mqtt"], _trigger.Origins);
        Assert.Equal(_time.GetUtcNow(), _status.Current.LastUpdateCheckCommand);
    }

    [Fact]
    public void UpdateChecksCloserThanTheMinimumIntervalAreIgnored()
    {
        var dispatcher = Dispatcher();
        dispatcher.Handle(Topics.UpdateCheck, 0);
        _time.Advance(TimeSpan.FromSeconds(59));
        var throttled = dispatcher.Handle(Topics.UpdateCheck, 0);
        _time.Advance(TimeSpan.FromSeconds(1));
        var accepted = dispatcher.Handle(Topics.UpdateCheck, 0);

        Assert.Equal(CommandDispatcher.Outcome.UpdateCheckThrottled, throttled);
        Assert.Equal(CommandDispatcher.Outcome.UpdateCheckRequested, accepted);
        Assert.Equal(2, _trigger.Origins.Count);
    }

    [Theory]
    [InlineData("edgellm/site-a/dev-1/cmd/reboot")]
    [InlineData("edgellm/site-a/dev-1/cmd/update-check/extra")]
    [InlineData("edgellm/site-a/dev-2/cmd/update-check")]
    [InlineData("edgellm/site-a/dev-1/cmd/UPDATE-CHECK")]
    public void AnyOtherCommandIsIgnored(string topic)
    {
        Assert.Equal(CommandDispatcher.Outcome.UnknownCommand, Dispatcher().Handle(topic, 10));
        Assert.Empty(_trigger.Origins);
    }

    [Fact]
    public void AnOversizedCommandIsIgnoredEvenOnTheUpdateCheckTopic()
    {
        Assert.Equal(CommandDispatcher.Outcome.Oversized, Dispatcher().Handle(Topics.UpdateCheck, 4097));
        Assert.Empty(_trigger.Origins);
        Assert.Null(_status.Current.LastUpdateCheckCommand);
    }

    [Fact]
    public void WithNoUpdateCheckerWiredTheCommandIsOnlyRecorded()
    {
        var dispatcher = new CommandDispatcher(Topics, new TelemetryOptions(), null, _status, _time, NullLogger.Instance);

        Assert.Equal(CommandDispatcher.Outcome.NoUpdateChecker, dispatcher.Handle(Topics.UpdateCheck, 0));
        Assert.NotNull(_status.Current.LastUpdateCheckCommand);
    }

    private CommandDispatcher Dispatcher() => new(Topics, new TelemetryOptions(), _trigger, _status, _time, NullLogger.Instance);

    private sealed class RecordingTrigger : IUpdateCheckTrigger
    {
        public List<string> Origins { get; } = [];

        public void RequestUpdateCheck(string origin) => Origins.Add(origin);
    }
}
