using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Filters;
using Serilog.Formatting.Compact;

namespace EdgeLlm.Daemon.Hosting;

internal static class DaemonLogging
{
    /// <summary>
    /// Serilog: compact JSON to stdout (journald keeps it; a terminal gets plain lines) and to size-capped rolling files, the audit trail
    /// (category <c>EdgeLlm.Audit</c>) also to <c>audit-*.json</c>. Framework
    /// chatter is held at Warning; llama.cpp's own log arrives under <c>LLama.Native</c>.
    /// </summary>
    public static IServiceCollection AddEdgeLlmDaemonLogging(this IServiceCollection services)
    {
        // Providers the host added (none in the daemon, a capturing one in some tests) get every event too.
        services.AddSerilog(preserveStaticLogger: true, writeToProviders: true, configureLogger: (provider, logger) =>
        {
            var options = provider.GetRequiredService<IOptions<DaemonOptions>>().Value;
            logger
                .MinimumLevel.Is(options.LogLevel)
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("LLama.Native", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .WriteTo.Console(ConsoleFormat.ForThisProcess())
                // The audit trail (admin actions, security refusals) also goes to a file of its own, kept as long.
                .WriteTo.Logger(audit => audit
                    .Filter.ByIncludingOnly(Matching.FromSource("EdgeLlm.Audit"))
                    .WriteTo.File(
                        new CompactJsonFormatter(),
                        Path.Combine(options.LogDirectory, "audit-.json"),
                        rollingInterval: RollingInterval.Day,
                        fileSizeLimitBytes: options.LogFileSizeLimitBytes,
                        rollOnFileSizeLimit: true,
                        retainedFileCountLimit: options.RetainedLogFiles))
                .WriteTo.File(
                    new CompactJsonFormatter(),
                    Path.Combine(options.LogDirectory, "edgellm-.json"),
                    rollingInterval: RollingInterval.Day,
                    fileSizeLimitBytes: options.LogFileSizeLimitBytes,
                    rollOnFileSizeLimit: true,
                    retainedFileCountLimit: options.RetainedLogFiles);
        });
        return services;
    }
}
