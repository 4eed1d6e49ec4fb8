using System.Diagnostics.Metrics;

namespace EdgeLlm.Api.Errors;

/// <summary>The error path's own instrument (meter <c>EdgeLlm.Api</c>): records of errors that could not be kept.</summary>
internal static class ErrorsMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Api");
    private static readonly Counter<long> Lost = Meter.CreateCounter<long>(
        "edgellm.api.error_records_lost", "{record}", "Telemetry records or audit lines of an answered request that could not be written (full disk, closed store), by record.");

    public static void RecordLost(string record) => Lost.Add(1, new KeyValuePair<string, object?>("record", record));
}
