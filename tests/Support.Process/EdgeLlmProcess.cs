using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLlm.Testing;

/// <summary>
/// The real <c>edgellm</c> executable as a child process, shared by the end-to-end tests and the benchmark:
/// <c>serve</c> on a free loopback port with a fresh data directory (and an inference key in it), stopped
/// the way systemd stops it (SIGTERM); or a one-shot command run to its end.
/// </summary>
internal sealed partial class EdgeLlmProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    // A one-shot command (keys create, a refused serve) is over in seconds; this only stops a hang.
    private static readonly TimeSpan OneShotTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _ownsDataDirectory;

    private EdgeLlmProcess(Process process, string dataDirectory, bool ownsDataDirectory, Uri address, string? apiKey)
    {
        _process = process;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Address = address;
        ApiKey = apiKey;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static string? _daemonPath;

    /// <summary>
    /// The daemon that is started: where the build puts it (the project's <c>EdgeLlmDaemonPath</c> assembly
    /// metadata, set in its csproj) unless <see cref="UseDaemon"/> named another. A <c>.dll</c> runs under <c>dotnet</c>.
    /// </summary>
    public static string DaemonPath => _daemonPath ??= FindBuiltDaemon();

    public string DataDirectory { get; }

    public Uri Address { get; }

    /// <summary>The inference key created before the start; null when none was asked for.</summary>
    public string? ApiKey { get; }

    public int ProcessId => _process.Id;

    /// <summary>Everything the daemon printed so far, stdout and stderr interleaved by line.</summary>
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

    /// <summary>
    /// Starts <c>edgellm serve</c> on <paramref name="modelPath"/> without waiting for it to be ready (a test may
    /// expect it to fail). <paramref name="environment"/> sets <c>EDGELLM__</c> settings as an operator would.
    /// <paramref name="dataDirectory"/> restarts on an existing data directory (another daemon's, after it
    /// stopped), which this one then leaves in place; by default each daemon gets a fresh one and deletes it.
    /// <paramref name="moreUrls"/> are listened on beside <see cref="Address"/> (e.g. an https:// one).
    /// </summary>
    public static async Task<EdgeLlmProcess> StartAsync(
        string modelPath,
        bool createKey = true,
        IEnumerable<string>? arguments = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? dataDirectory = null,
        IReadOnlyList<string>? moreUrls = null,
        CancellationToken cancellationToken = default)
    {
        var ownsDataDirectory = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("edgellm-").FullName;
        try
        {
            var key = createKey ? await CreateKeyAsync(dataDirectory, cancellationToken) : null;
            var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
            var urls = string.Join(';', [address.ToString().TrimEnd('/'), .. moreUrls ?? []]);
            var info = StartInfo(["serve", "--data-dir", dataDirectory, "--model", modelPath, "--urls", urls, .. arguments ?? []]);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[name] = value;
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start 'edgellm serve'.");
            return new EdgeLlmProcess(process, dataDirectory, ownsDataDirectory, address, key);
        }
        catch when (ownsDataDirectory)
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>Runs an <c>edgellm</c> command to its end: exit code and everything it printed. <paramref name="environment"/> adds variables.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var info = StartInfo(arguments);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start edgellm.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(OneShotTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts <paramref name="path"/> from now on, e.g. the <c>edgellm</c> executable of a self-contained publish.</summary>
    public static void UseDaemon(string path) =>
        _daemonPath = File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException("There is no edgellm daemon there.", path);

    /// <summary>An HTTP client on the daemon, sending the inference key when there is one.</summary>
    public HttpClient CreateClient(TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = timeout };
        if (ApiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }

        return client;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; fails at once, with the output, if the daemon exits.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The daemon exited with code {_process.ExitCode} before it was ready:\n{Output}");
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
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One probe ran past its own timeout (a loaded machine, a daemon still starting): ask again until the deadline.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"The daemon was not ready within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Sends SIGTERM, as systemd does, and waits for the exit code; throws if it does not exit in time.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        // A daemon that already exited has no process left to signal (kill would fail with ESRCH); its exit code stands.
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return await WaitForExitAsync(timeout);
    }

    /// <summary>Kills the daemon at once (SIGKILL: no shutdown code runs, as after a power cut or the OOM killer) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the daemon if it still runs (a graceful stop is <see cref="TerminateAsync"/>) and deletes its data directory if it made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS.
        }
    }

    private static async Task<string> CreateKeyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunToEndAsync(
            ["keys", "create", "--data-dir", dataDirectory, "--name", "test", "--tenant", "test", "--scope", "inference"], cancellationToken: cancellationToken);
        var key = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        return exitCode == 0 && key is not null
            ? key
            : throw new InvalidOperationException($"'edgellm keys create' failed (exit {exitCode}):\n{output}");
    }

    /// <summary>The program and arguments that run <c>edgellm</c> with <paramref name="arguments"/>.</summary>
    public static IReadOnlyList<string> CommandLine(IEnumerable<string> arguments) =>
        DaemonPath.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", DaemonPath, .. arguments] : [DaemonPath, .. arguments];

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = DaemonPath.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet", [DaemonPath, .. arguments]) : new ProcessStartInfo(DaemonPath, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return info;
    }

    public static int FreeLoopbackPort() => LoopbackPorts.Reserve();

    private static string FindBuiltDaemon()
    {
        var path = typeof(EdgeLlmProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "EdgeLlmDaemonPath")?.Value
            ?? throw new InvalidOperationException("The project lacks the EdgeLlmDaemonPath assembly metadata (see tests/EdgeLlm.Benchmarks' csproj).");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException("The edgellm daemon is not built; build src/EdgeLlm.Daemon in the same configuration first.", path);
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);
}
