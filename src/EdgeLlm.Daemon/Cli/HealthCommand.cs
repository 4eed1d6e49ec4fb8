using System.CommandLine;
using EdgeLlm.Api;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Settings;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm health</c>: asks the running daemon's <c>/healthz</c> (or <c>/readyz</c> with <c>--ready</c>) over
/// loopback and exits 0 when it answers 200, 1 otherwise. It is the container image's HEALTHCHECK, so the image
/// needs no curl, and it finds the port from the same settings as <c>serve</c>.
/// </summary>
internal static class HealthCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static Command Create(Option<string> dataDirectory)
    {
        var ready = new Option<bool>("--ready") { Description = "Ask /readyz (every model loaded and answering) instead of /healthz (alive)." };
        var url = new Option<string?>("--url") { Description = "The daemon's base address. Default: the first of Api:Urls, its wildcard host replaced by 127.0.0.1." };
        var config = new Option<string?>("--config") { Description = "JSON settings file, as for 'serve'." };
        var command = new Command("health", "Probe the running daemon: exit 0 when /healthz (or /readyz with --ready) answers 200, else 1.")
        {
            ready,
            url,
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var baseAddress = parse.GetValue(url) is { } given
                ? Uri.TryCreate(given, UriKind.Absolute, out var parsed) ? parsed : null
                : LoopbackAddress(new ServeArguments(parse.GetValue(dataDirectory), null, null, parse.GetValue(config), []));
            if (baseAddress is null)
            {
                await Console.Error.WriteLineAsync("edgellm: no http(s) address to probe: give --url, or set Api:Urls.");
                return 2;
            }

            return await ProbeAsync(new Uri(baseAddress, parse.GetValue(ready) ? "/readyz" : "/healthz"), cancellationToken);
        });
        return command;
    }

    /// <summary>Where a local client reaches the first configured address: wildcard hosts mean this machine.</summary>
    internal static Uri? LoopbackAddress(ServeArguments arguments)
    {
        var configuration = SettingsSources.Load(arguments);
        var urls = configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] ?? new ApiOptions().Urls;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

        // Kestrel accepts http://*:8080 and http://+:8080, which Uri does not parse as a host.
        var parseable = first?.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(parseable, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var host = address.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => address.Host,
        };
        return new UriBuilder(address) { Host = host, Path = "/" }.Uri;
    }

    private static async Task<int> ProbeAsync(Uri target, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = DefaultTimeout };
        try
        {
            using var response = await client.GetAsync(target, cancellationToken);
            Console.Out.WriteLine($"{target}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Out.WriteLine($"{target}: no answer ({ex.Message})");
            return 1;
        }
    }
}
