using System.Net.Sockets;
using System.Text;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests;

/// <summary>
/// The watchdog as systemd sees it: this test plays systemd with a real datagram socket in NOTIFY_SOCKET and a
/// watchdog interval in WATCHDOG_USEC, and hangs the decode loop with the <c>scheduler-hang</c> fault point.
/// </summary>
public sealed class SystemdWatchdogTests
{
    private const string Withheld = "Skipping a systemd watchdog ping";

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
                    ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "4000000", ["EDGELLM_FAULT_POINT"] = "scheduler-hang",
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
            await Until(() => Occurrences(daemon.Output, Withheld) >= 1, timeout.Token);
            // Pings sent before the loop was seen hanging may still be queued; after that first withheld ping, none may follow.
            while (systemd.Available > 0)
            {
                await ReceiveAsync(systemd, timeout.Token);
            }

            await Until(() => Occurrences(daemon.Output, Withheld) >= 4, timeout.Token);

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

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    private static async Task Until(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
