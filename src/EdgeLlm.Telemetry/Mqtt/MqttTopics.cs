namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>This device's topics: <c>&lt;root&gt;/&lt;site&gt;/&lt;device&gt;/…</c>.</summary>
internal sealed record MqttTopics(string Telemetry, string Events, string Status, string Commands, string UpdateCheck)
{
    public static MqttTopics For(string root, string site, string device)
    {
        var prefix = $"{root}/{site}/{device}";
        return new MqttTopics($"{prefix}/telemetry", $"{prefix}/events", $"{prefix}/status", $"{prefix}/cmd/#", $"{prefix}/cmd/update-check");
    }
}
