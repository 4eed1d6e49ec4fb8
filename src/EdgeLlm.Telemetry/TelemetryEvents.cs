using System.Text.Json.Nodes;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Telemetry;

/// <summary>
/// Records something that happened (model activated, update refused, rollback, an error) for the fleet:
/// written to the outbox at once, sent on <c>…/events</c> whenever the broker answers. Local disk only,
/// so any code path may call it; never put prompt or document text in an event.
/// </summary>
public sealed class TelemetryEvents(OutboxStore outbox)
{
    /// <summary>Writes one event of <paramref name="kind"/> (dotted lower case, e.g. <c>update.refused</c>) and returns its id.</summary>
    public string Write(string kind, JsonObject data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(data);
        return outbox.Append(OutboxStream.Events, kind, data.ToJsonString());
    }
}
