using System.CommandLine;
using EdgeLlm.Api;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Cli;

/// <summary><c>edgellm serve</c>: run the daemon until SIGTERM. Exits non-zero on any fatal fault so systemd restarts it.</summary>
internal static class ServeCommand
{
    public static Command Create(Option<string> dataDirectory)
    {
        var model = new Option<string?>("--model") { Description = "Serve this GGUF file as the first (default) model." };
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080 (setting Api:Urls)." };
        var config = new Option<string?>("--config") { Description = $"JSON settings file. Default: with --data-dir, <data-dir>/edgellm.json if present (and no other); else {SettingsSources.DefaultConfigFile}." };
        var command = new Command("serve", "Run the daemon. Any other '--Section:Key value' pair sets that setting (see 'edgellm settings').")
        {
            model,
            urls,
            config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ServeArguments(parse.GetValue(dataDirectory), parse.GetValue(model), parse.GetValue(urls), parse.GetValue(config), parse.UnmatchedTokens.ToList()),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ServeArguments arguments, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = DaemonHost.Build(arguments);
            var daemon = app.Services.GetRequiredService<IOptions<DaemonOptions>>().Value;
            Directory.CreateDirectory(daemon.DataDirectory);
            Directory.CreateDirectory(daemon.LogDirectory);
            _ = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        }
        catch (Exception ex) when (SettingsFailures(ex) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync("edgellm: invalid settings:\n  " + string.Join("\n  ", failures));
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            await Console.Error.WriteLineAsync("edgellm: cannot start: " + Reasons(ex));
            return 2;
        }

        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeLlm.Daemon");
            var daemon = app.Services.GetRequiredService<IOptions<DaemonOptions>>().Value;
            DaemonLog.Starting(logger, typeof(ServeCommand).Assembly.GetName().Version?.ToString() ?? "0", daemon.DataDirectory, app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.Urls);
            var run = app.Services.GetRequiredService<DaemonRun>();
            try
            {
                await app.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (SettingsFailures(ex) is { Count: > 0 } failures)
            {
                await Console.Error.WriteLineAsync("edgellm: invalid settings:\n  " + string.Join("\n  ", failures));
                return 2;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                run.LogFatal(logger, ex);
                return 1;
            }

            run.LogExit(logger, Environment.ExitCode);
        }

        return Environment.ExitCode;
    }

    /// <summary>An exception's message and those of its causes (a settings file's parse error is wrapped in "failed to load").</summary>
    private static string Reasons(Exception exception) =>
        exception.InnerException is { } inner ? exception.Message.TrimEnd('.') + ": " + Reasons(inner) : exception.Message;

    /// <summary>The messages of settings validation, however the host wrapped them (one or an aggregate).</summary>
    private static List<string> SettingsFailures(Exception exception) => exception switch
    {
        InvalidSettingsException settings => [.. settings.Failures],
        OptionsValidationException options => [.. options.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(SettingsFailures)],
        _ => [],
    };
}
