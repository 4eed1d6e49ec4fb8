using EdgeLlm.Telemetry.Mqtt;
using EdgeLlm.Telemetry.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EdgeLlm.Telemetry;

public static class TelemetryHostingExtensions
{
    /// <summary>Every meter of the daemon's parts (<c>EdgeLlm.Api</c>, <c>EdgeLlm.Inference</c>, …) and ASP.NET Core's own.</summary>
    private static readonly string[] Meters = ["EdgeLlm.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Every activity source: the parts' spans under ASP.NET Core's request span.</summary>
    private static readonly string[] Sources = ["EdgeLlm.*", "Microsoft.AspNetCore"];

    /// <summary>
    /// Registers telemetry: options (validated at start-up), the outbox, events, the MQTT uplink's worker, and
    /// OpenTelemetry metrics (Prometheus scraping, periodic snapshots into the outbox, OTLP when configured)
    /// and traces (OTLP when configured). The host maps <c>/metrics</c> with <c>MapPrometheusScrapingEndpoint</c>, and
    /// registers the <see cref="IUpdateCheckTrigger"/> the fleet's update-check command runs when the uplink is on.
    /// </summary>
    public static IServiceCollection AddEdgeLlmTelemetry(this IServiceCollection services, Action<TelemetryOptions>? configure = null)
    {
        var builder = services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var store = new OutboxStore(options.OutboxPath, options.OutboxMaxBytes, options.OutboxMaxAge, sp.GetRequiredService<TimeProvider>());
            TelemetryMetrics.Observe(store, options.OutboxMaxBytes);
            return store;
        });
        services.AddSingleton<TelemetryEvents>();
        services.AddSingleton(_ =>
        {
            var status = new UplinkStatus();
            TelemetryMetrics.Observe(status);
            return status;
        });
        services.AddHostedService(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            var status = sp.GetRequiredService<UplinkStatus>();
            Func<MqttUplink>? uplink = null;
            if (options.UplinkEnabled)
            {
                var topics = MqttTopics.For(options.TopicRoot, options.Site, options.EffectiveDevice);
                var commands = new CommandDispatcher(topics, options, sp.GetRequiredService<IUpdateCheckTrigger>(), status, time, sp.GetRequiredService<ILogger<CommandDispatcher>>());
                uplink = () => new MqttUplink(options, topics, commands, status, time);
            }

            return new OutboxWorker(sp.GetRequiredService<OutboxStore>(), uplink, options, status, time, sp.GetRequiredService<ILogger<OutboxWorker>>());
        });

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("edgellm"))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddPrometheusExporter()
                .ConfigureServices(s => s.ConfigureOpenTelemetryMeterProvider(AddMetricReaders)))
            .WithTracing(tracing => tracing
                .AddSource(Sources)
                .ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(AddTraceExport)));
        return services;
    }

    private static void AddMetricReaders(IServiceProvider services, MeterProviderBuilder metrics)
    {
        var options = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var exporter = new OutboxMetricExporter(services.GetRequiredService<OutboxStore>(), services.GetRequiredService<ILogger<OutboxMetricExporter>>());
        metrics.AddReader(new PeriodicExportingMetricReader(exporter, (int)options.SnapshotInterval.TotalMilliseconds));
        if (options.OtlpEndpoint is { } endpoint)
        {
            metrics.AddReader(new PeriodicExportingMetricReader(new OtlpMetricExporter(Otlp(endpoint))));
        }
    }

    private static void AddTraceExport(IServiceProvider services, TracerProviderBuilder tracing)
    {
        if (services.GetRequiredService<IOptions<TelemetryOptions>>().Value.OtlpEndpoint is { } endpoint)
        {
            tracing.AddProcessor(new BatchActivityExportProcessor(new OtlpTraceExporter(Otlp(endpoint))));
        }
    }

    private static OtlpExporterOptions Otlp(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Protocol = endpoint.Port == 4318 || endpoint.AbsolutePath.Contains("/v1/", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
    };
}
