using System.Net.Sockets;
using System.Text;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests;

/// <summary>
/// The watchdog as systemd sees it: this test plays systemd with a real datagram socket in NOTIFY_SOCKET and a
/// watchdog interval in WATCHDOG_USEC, and hangs the decode loop with the <c>scheduler-hang</c> fault point.
/// </summary>
public sealed class SystemdWatchdogTests
{
    private const string Withheld = "Skipping a systemd watchdog ping";

    // The fault point logs this the moment the loop starts to hang (the log's template text, as compact JSON carries it).
    private const string HangStarted = "this decode loop now blocks until shutdown";

    [Fact]
    public async Task WatchdogPingsStopWhenADecodeLoopHangsAndNeverResumeSoSystemdWouldRestartTheDaemon()
    {
        var socketPath = Path.Combine(Path.GetTempPath(), $"edgellm-watchdog-{Guid.NewGuid():N}.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            // Pings every 2 s, each only if every scheduler loop beat in the last 2 s (an idle loop beats every second).
            await using var daemon = await EdgeLlmProcess.StartAsync(
                TestModels.Stories260K,
                environment: new Dictionary<string, string>
                {
                    ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "4000000", [SchedulerFaults.Variable] = SchedulerFaults.Hang,
                });
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var healthy = new List<string>();
            while (healthy.Count(m => m == "WATCHDOG=1") < 2)
            {
                healthy.Add(await ReceiveAsync(systemd, timeout.Token));
            }

            // The model's first generation was its load health check; this one hangs in the decode loop.
            using var client = daemon.CreateClient(TimeSpan.FromMinutes(5));
            var hung = client.PostAsync(
                new Uri("v1/completions", UriKind.Relative),
                new StringContent("""{"model":"stories260K","prompt":"Once upon a time","max_tokens":8}""", Encoding.UTF8, "application/json"),
                timeout.Token);
            // A ping withheld before the hang (a loaded machine can delay an idle beat) may still be followed by a healthy
            // one; a ping withheld after the loop said it hangs cannot, and every ping sent before it is in the socket by
            // then (a ping is sent before the next one is judged). So: drain then, and from then on nothing may arrive.
            await Poll.Until(() => WithheldSinceHang(daemon.Output) >= 1, TimeSpan.FromMinutes(2), timeout.Token);
            while (systemd.Available > 0)
            {
                await ReceiveAsync(systemd, timeout.Token);
            }

            await Poll.Until(() => WithheldSinceHang(daemon.Output) >= 4, TimeSpan.FromMinutes(2), timeout.Token);

            Assert.Equal("READY=1", healthy[0]);
            Assert.All(healthy.Skip(1), m => Assert.Equal("WATCHDOG=1", m));
            Assert.Equal(0, systemd.Available);
            Assert.False(hung.IsCompleted, "the completion should still hang in the decode loop");
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    private static int WithheldSinceHang(string output) =>
        output.IndexOf(HangStarted, StringComparison.Ordinal) is var at and >= 0 ? OutputText.Occurrences(output[at..], Withheld) : 0;

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }
}
