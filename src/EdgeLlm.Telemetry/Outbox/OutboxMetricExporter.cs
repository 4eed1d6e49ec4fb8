using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace EdgeLlm.Telemetry.Outbox;

/// <summary>
/// Writes each periodic collection of every metric into the outbox as one <c>metrics</c> record (cumulative
/// values: a consumer that missed one snapshot loses no counts). Data:
/// <c>{"metrics":[{"name","unit","points":[{"attrs":{…},"value"} or {"attrs","count","sum"}]}]}</c>.
/// </summary>
internal sealed class OutboxMetricExporter(OutboxStore outbox, ILogger logger) : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch)
    {
        try
        {
            var json = new ArrayBufferWriter<byte>(8192);
            using (var writer = new Utf8JsonWriter(json))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("metrics");
                foreach (var metric in batch)
                {
                    WriteMetric(writer, metric);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            outbox.Append(OutboxStream.Telemetry, "metrics", Encoding.UTF8.GetString(json.WrittenSpan));
            return ExportResult.Success;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or IOException)
        {
            TelemetryLog.SnapshotFailed(logger, ex);
            return ExportResult.Failure;
        }
    }

    private static void WriteMetric(Utf8JsonWriter writer, Metric metric)
    {
        writer.WriteStartObject();
        writer.WriteString("name", metric.Name);
        if (!string.IsNullOrEmpty(metric.Unit))
        {
            writer.WriteString("unit", metric.Unit);
        }

        writer.WriteStartArray("points");
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            writer.WriteStartObject();
            writer.WriteStartObject("attrs");
            foreach (var tag in point.Tags)
            {
                writer.WriteString(tag.Key, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
            switch (metric.MetricType)
            {
                case MetricType.Histogram or MetricType.ExponentialHistogram:
                    writer.WriteNumber("count", point.GetHistogramCount());
                    WriteFinite(writer, "sum", point.GetHistogramSum());
                    break;
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    writer.WriteNumber("value", point.GetSumLong());
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    WriteFinite(writer, "value", point.GetSumDouble());
                    break;
                case MetricType.LongGauge:
                    writer.WriteNumber("value", point.GetGaugeLastValueLong());
                    break;
                case MetricType.DoubleGauge:
                    WriteFinite(writer, "value", point.GetGaugeLastValueDouble());
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // JSON has no NaN or infinity; a gauge can report them.
    private static void WriteFinite(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
