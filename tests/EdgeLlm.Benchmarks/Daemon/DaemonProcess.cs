using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeLlm.Benchmarks.Daemon;

/// <summary>
/// The real <c>edgellm</c> daemon as a child process: a fresh data directory with one inference key, a free
/// loopback port, settings through <c>EDGELLM__</c> environment variables as an operator would set them,
/// and SIGTERM at the end, as systemd stops it.
/// </summary>
internal sealed partial class DaemonProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int OutputLinesKept = 40;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly Queue<string> _output = new();

    private DaemonProcess(Process process, string dataDirectory, Uri baseAddress, string apiKey)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
    }

    public Uri BaseAddress { get; }

    public string ApiKey { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the daemon on <paramref name="plan"/>'s model and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<DaemonProcess> StartAsync(BenchmarkPlan plan, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-bench-").FullName;
        var apiKey = await CreateKeyAsync(dataDirectory, cancellationToken);
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var start = Edgellm("serve", "--data-dir", dataDirectory, "--model", plan.ModelPath, "--urls", baseAddress.ToString().TrimEnd('/'));
        start.Environment["EDGELLM__Inference__Threads"] = plan.Threads.ToString(CultureInfo.InvariantCulture);
        start.Environment["EDGELLM__Inference__ContextSize"] = plan.ContextSize.ToString(CultureInfo.InvariantCulture);
        start.Environment["EDGELLM__Inference__MaxSequences"] = "8";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the edgellm daemon.");
        var daemon = new DaemonProcess(process, dataDirectory, baseAddress, apiKey);
        process.OutputDataReceived += (_, e) => daemon.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await daemon.WaitUntilReadyAsync(cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the daemon with SIGTERM (SIGKILL if it hangs) and removes its data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigTerm);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"The daemon ignored SIGTERM for {StopTimeout.TotalSeconds} s; killing it.");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        if (_process.ExitCode != 0)
        {
            Console.Error.WriteLine($"The daemon exited with code {_process.ExitCode}. Its last output:\n{OutputTail()}");
        }

        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The daemon exited with code {_process.ExitCode} before it was ready:\n{OutputTail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"The daemon was not ready within {ReadyTimeout.TotalSeconds} s:\n{OutputTail()}");
    }

    private static async Task<string> CreateKeyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var start = Edgellm("keys", "create", "--data-dir", dataDirectory, "--name", "bench", "--tenant", "bench", "--scope", "inference");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run 'edgellm keys create'.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var key = (await output).Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        return process.ExitCode == 0 && key is not null
            ? key
            : throw new InvalidOperationException($"'edgellm keys create' failed (exit {process.ExitCode}): {await errors}");
    }

    private static ProcessStartInfo Edgellm(params string[] arguments)
    {
        var daemon = typeof(DaemonProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "EdgeLlmDaemonPath").Value!;
        if (!File.Exists(daemon))
        {
            throw new FileNotFoundException("The edgellm daemon is not built; build the solution in the same configuration first.", daemon);
        }

        return new ProcessStartInfo("dotnet", [daemon, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
    }

    private static int FreeLoopbackPort()
    {
        // Another process could take the port before the daemon binds it; on a benchmark machine that is unlikely enough.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The daemon's JSON log, kept only to explain a failure.</summary>
    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private string OutputTail()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);
}
