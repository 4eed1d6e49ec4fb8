using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// The daemon provisioning installed (<c>&lt;root&gt;/opt/edgellm/edgellm</c>) as a child process, started directly or
/// as the installed service starts it (<see cref="InstalledService"/>), stopped as systemd stops it (SIGTERM).
/// </summary>
internal sealed partial class InstalledDaemon : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private InstalledDaemon(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything it printed so far, stdout and stderr interleaved by line.</summary>
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

    /// <summary>The process id, the daemon's once the commands that start it have exec'd it.</summary>
    public int ProcessId => _process.Id;

    public static InstalledDaemon Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Start(info);
    }

    /// <summary>Starts <paramref name="info"/> (its output redirected), e.g. the installed service's commands.</summary>
    public static InstalledDaemon Start(ProcessStartInfo info) =>
        new(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));

    /// <summary>Asks <paramref name="readyz"/> until it answers 200; fails at once, with the output, if the daemon exits.</summary>
    public async Task WaitUntilReadyAsync(HttpMessageHandler handler, Uri readyz, TimeSpan timeout)
    {
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The installed daemon exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(readyz);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // One probe ran past its own timeout (a loaded machine, a daemon still starting): ask again until the deadline.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"The installed daemon was not ready within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
