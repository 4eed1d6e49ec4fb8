using System.CommandLine;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeLlm.Api;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Settings;
using EdgeLlm.Storage;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm health</c>: asks the running daemon's <c>/healthz</c> (or <c>/readyz</c> with <c>--ready</c>) on this
/// machine and exits 0 when it answers 200, 1 otherwise. It is the container image's HEALTHCHECK, so the image
/// needs no curl, and it finds the address from the same settings as <c>serve</c>. Over HTTPS the daemon's
/// certificate must chain to the given CA alone: by default the one provisioning made, <c>tls/ca.crt</c> beside
/// the settings file.
/// </summary>
internal static class HealthCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static Command Create(Option<string> dataDirectory)
    {
        var ready = new Option<bool>("--ready") { Description = "Ask /readyz (every model loaded and answering) instead of /healthz (alive)." };
        var url = new Option<string?>("--url")
        {
            Description = "The daemon's base address. Default: the plain-HTTP address of Api:Urls (provisioning keeps one on loopback), else the first; a wildcard host means 127.0.0.1.",
        };
        var config = new Option<string?>("--config") { Description = "JSON settings file, as for 'serve'." };
        var ca = new Option<string?>("--ca")
        {
            Description = $"PEM CA an https:// daemon's certificate must chain to, alone. Default: tls/ca.crt beside the settings file (provisioning's, {DefaultCaFile(null, null)}; a --data-dir instance's own DIR/tls/ca.crt) when it exists, else the system's CAs.",
        };
        var command = new Command("health", "Probe the running daemon: exit 0 when /healthz (or /readyz with --ready) answers 200, else 1.")
        {
            ready,
            url,
            config,
            ca,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            Uri? baseAddress;
            try
            {
                baseAddress = parse.GetValue(url) is { } given
                    ? Uri.TryCreate(given, UriKind.Absolute, out var parsed) ? parsed : null
                    : LoopbackAddress(new ServeArguments(parse.GetValue(dataDirectory), null, null, parse.GetValue(config), []));
            }
            catch (Exception ex) when (SettingsProblem(ex) is { } problem)
            {
                // One line: the container's HEALTHCHECK shows it as the last probe's output.
                await error.WriteLineAsync($"edgellm: {problem}");
                return 2;
            }

            if (baseAddress is null)
            {
                await error.WriteLineAsync("edgellm: no http(s) address to probe: give --url, or set Api:Urls.");
                return 2;
            }

            var caFile = parse.GetValue(ca) ?? DefaultCaFile(parse.GetValue(config), parse.GetValue(dataDirectory));
            X509Certificate2Collection? authority = null;
            if (baseAddress.Scheme == Uri.UriSchemeHttps && (parse.GetValue(ca) is not null || File.Exists(caFile)))
            {
                authority = LoadAuthority(caFile);
                if (authority is null)
                {
                    await error.WriteLineAsync($"edgellm: the CA {caFile} is not a readable PEM certificate file.");
                    return 2;
                }
            }

            return await ProbeAsync(new Uri(baseAddress, parse.GetValue(ready) ? "/readyz" : "/healthz"), authority, parse.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Where a local client reaches the daemon: the first plain-HTTP address of Api:Urls (no certificate to
    /// check), else the first address; wildcard hosts mean this machine.
    /// </summary>
    internal static Uri? LoopbackAddress(ServeArguments arguments)
    {
        var configuration = SettingsSources.Load(arguments);
        var urls = configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] ?? new ApiOptions().Urls;

        // Kestrel accepts http://*:8080 and http://+:8080, which Uri does not parse as a host.
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var a) ? a : null)
            .OfType<Uri>()
            .Where(a => a.Scheme == Uri.UriSchemeHttp || a.Scheme == Uri.UriSchemeHttps)
            .ToList();
        var address = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp) ?? addresses.FirstOrDefault();
        if (address is null)
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

    /// <summary>
    /// The CA the daemon's certificate chains to when <c>--ca</c> is not given: <c>tls/ca.crt</c> beside the settings
    /// file, <c>/etc/edgellm/tls/ca.crt</c> on an appliance (provisioning writes it); a <c>--data-dir</c> instance's
    /// own (<see cref="DataDirectoryLayout.TlsCaCertificate"/>), never the host's.
    /// </summary>
    internal static string DefaultCaFile(string? configFile, string? dataDirectory)
    {
        if (configFile is null && dataDirectory is not null)
        {
            return new DataDirectoryLayout(dataDirectory).TlsCaCertificate;
        }

        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile ?? SettingsSources.DefaultConfigFile))!, "tls", "ca.crt");
    }

    /// <summary>Why the settings could not be read, on one line; null for an exception that is not about them.</summary>
    internal static string? SettingsProblem(Exception exception) => exception switch
    {
        InvalidSettingsException settings => "invalid settings: " + string.Join("; ", settings.Failures),
        InvalidDataException or IOException or UnauthorizedAccessException or FormatException => "cannot read the settings: " + Reasons(exception).ReplaceLineEndings(" "),
        _ => null,
    };

    /// <summary>An exception's message and those of its causes (a settings file's parse error is wrapped in "failed to load").</summary>
    private static string Reasons(Exception exception) =>
        exception.InnerException is { } inner ? exception.Message.TrimEnd('.') + ": " + Reasons(inner) : exception.Message;

    private static X509Certificate2Collection? LoadAuthority(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return null;
        }

        return certificates.Count > 0 ? certificates : null;
    }

    private static async Task<int> ProbeAsync(Uri target, X509Certificate2Collection? authority, TextWriter output, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler();
        if (authority is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, presentedChain, errors) => ChainsTo(authority, certificate, presentedChain, errors);
        }

        using var client = new HttpClient(handler) { Timeout = DefaultTimeout };
        try
        {
            using var response = await client.GetAsync(target, cancellationToken);
            await output.WriteLineAsync($"{target}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var cause = ex.GetBaseException() is { } inner && inner != ex ? $": {inner.Message}" : "";
            await output.WriteLineAsync($"{target}: no answer ({ex.Message}{cause})");
            return 1;
        }
    }

    /// <summary>The name must match, and the chain must end in one of <paramref name="authority"/>'s certificates, whatever the system trusts.</summary>
    private static bool ChainsTo(X509Certificate2Collection authority, X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (presented is not X509Certificate2 leaf || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
