using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>
/// The real <c>edgellm</c> executable started as a child process on a free loopback port with a fresh
/// data directory; stopped the way systemd stops it (SIGTERM).
/// </summary>
internal sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, string dataDirectory, Uri address, string? apiKey)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        if (apiKey is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string DaemonDll { get; } = FindDaemon();

    /// <summary>Starts <c>edgellm serve</c>; creates an inference key first unless <paramref name="createKey"/> is false.</summary>
    public static async Task<DaemonProcess> StartAsync(string modelPath, bool createKey = true, params string[] extraArguments)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "edgellm-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        string? key = null;
        if (createKey)
        {
            var (exit, output) = await RunToEndAsync("keys", "create", "--data-dir", dataDirectory, "--name", "e2e", "--tenant", "site", "--scope", "inference");
            Assert.Equal(0, exit);
            key = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("ellm_", StringComparison.Ordinal));
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = Start(["serve", "--data-dir", dataDirectory, "--model", modelPath, "--urls", address.ToString().TrimEnd('/'), .. extraArguments]);
        return new DaemonProcess(process, dataDirectory, address, key);
    }

    /// <summary>Runs an <c>edgellm</c> command to its end: exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public async Task WaitUntilReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            Assert.False(_process.HasExited, "the daemon exited before it was ready:\n" + Output);
            try
            {
                using var response = await Client.GetAsync(new Uri("/readyz", UriKind.Relative), timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Sends SIGTERM, as systemd does, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Assert.Equal(0, Kill(_process.Id, 15));
        return await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS.
        }
    }

    private static Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(DaemonDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start edgellm.");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindDaemon()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(TestModels.RepositoryRoot, "src", "EdgeLlm.Daemon", "bin", configuration, "net10.0", "edgellm.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/EdgeLlm.Daemon first (the test project references it).", path);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
