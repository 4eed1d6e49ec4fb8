using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLlm.Testing;

/// <summary>
/// A real Mosquitto (Debian's package, installed by <c>scripts/test.sh</c>) as a child process on a free
/// loopback port, with a generated config in a temp folder. Persistent, so a subscriber's session and its
/// queued messages survive <see cref="StopAsync"/> and <see cref="StartAsync()"/> (a broker that flaps).
/// </summary>
internal sealed partial class MosquittoBroker : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly string _config;
    private Process? _process;

    private MosquittoBroker(string directory, int port, int? tlsPort, string config)
    {
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        _config = config;
    }

    public string Directory { get; }

    /// <summary>The plain listener (for the tests' own subscriber).</summary>
    public int Port { get; }

    /// <summary>The TLS listener, when started with certificates.</summary>
    public int? TlsPort { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// A broker on a fresh port, plus a TLS listener on another when <paramref name="tls"/> names a CA, a
    /// certificate and its key (PEM files), which also demands a client certificate from that CA when
    /// <paramref name="requireClientCertificate"/>. With <paramref name="users"/>, every client on either
    /// listener must log in as one of them (a password file made by mosquitto_passwd); without, anyone may.
    /// </summary>
    public static async Task<MosquittoBroker> StartAsync(
        (string CaFile, string CertFile, string KeyFile)? tls = null,
        bool requireClientCertificate = false,
        IReadOnlyList<(string User, string Password)>? users = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("edgellm-mosquitto-").FullName;
        var port = FreeLoopbackPort();
        var config = new StringBuilder()
            .AppendLine("per_listener_settings false")
            .AppendLine($"allow_anonymous {(users is null ? "true" : "false")}")
            .AppendLine($"listener {port} 127.0.0.1")
            .AppendLine("persistence true")
            .AppendLine($"persistence_location {directory}/")
            .AppendLine("max_queued_messages 0")
            .AppendLine("max_inflight_messages 0")
            .AppendLine($"log_dest file {directory}/mosquitto.log")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice");

        // Started as root, Mosquitto would drop to user 'mosquitto', who cannot read this folder.
        if (Environment.UserName == "root")
        {
            config.AppendLine("user root");
        }

        if (users is not null)
        {
            config.AppendLine($"password_file {await WritePasswordFileAsync(directory, users)}");
        }

        int? tlsPort = null;
        if (tls is { } files)
        {
            tlsPort = FreeLoopbackPort();
            config.AppendLine($"listener {tlsPort} 127.0.0.1")
                .AppendLine($"cafile {files.CaFile}").AppendLine($"certfile {files.CertFile}").AppendLine($"keyfile {files.KeyFile}")
                .AppendLine($"require_certificate {(requireClientCertificate ? "true" : "false")}");
        }

        var path = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(path, config.ToString());
        var broker = new MosquittoBroker(directory, port, tlsPort, path);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Starts (again) on the same port and config; returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        var executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_config);
        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start mosquitto.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {Log()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {Port}: {Log()}");
    }

    /// <summary>Stops it gracefully (SIGTERM: it saves its sessions) and waits for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        _ = SendSignal(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
        _process = null;
    }

    public string Log()
    {
        var path = Path.Combine(Directory, "mosquitto.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned eventually.
        }
    }

    /// <summary>Mosquitto's own hashed password file, written by its mosquitto_passwd, readable by the broker alone.</summary>
    private static async Task<string> WritePasswordFileAsync(string directory, IReadOnlyList<(string User, string Password)> users)
    {
        var path = Path.Combine(directory, "passwords");
        await File.WriteAllTextAsync(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        foreach (var (user, password) in users)
        {
            using var tool = Process.Start(new ProcessStartInfo("mosquitto_passwd", ["-b", path, user, password]) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException("Could not start mosquitto_passwd.");
            var error = await tool.StandardError.ReadToEndAsync();
            await tool.WaitForExitAsync();
            if (tool.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_passwd failed for {user}: {error}");
            }
        }

        return path;
    }

    public static int FreeLoopbackPort() => LoopbackPorts.Reserve();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
