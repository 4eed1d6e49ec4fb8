using System.Net.Sockets;
using System.Text;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests;

/// <summary>
/// The daemon speaks systemd's notify protocol the way a Type=notify unit needs: this test plays systemd,
/// with a real datagram socket in NOTIFY_SOCKET and a watchdog interval in WATCHDOG_USEC.
/// </summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task TheDaemonSaysReadyOnlyOnceTheModelAnsweredThenPingsTheWatchdogAndSaysStopping()
    {
        var socketPath = Path.Combine(Path.GetTempPath(), $"edgellm-notify-{Guid.NewGuid():N}.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        var messages = new List<(string Text, bool Ready)>();
        await using var daemon = await EdgeLlmProcess.StartAsync(
            TestModels.Stories260K,
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "2000000" });
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(5));

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (messages.Count(m => m.Text == "WATCHDOG=1") < 2)
        {
            var text = await ReceiveAsync(systemd, timeout.Token);
            using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), timeout.Token);
            messages.Add((text, ready.IsSuccessStatusCode));
        }

        await daemon.TerminateAsync(TimeSpan.FromSeconds(30));
        var last = await ReceiveAsync(systemd, timeout.Token);
        File.Delete(socketPath);

        Assert.Equal("READY=1", messages[0].Text);
        Assert.True(messages[0].Ready, "READY=1 must come only once /readyz answers");
        Assert.All(messages.Skip(1), m => Assert.Equal("WATCHDOG=1", m.Text));
        Assert.Equal("STOPPING=1", last);
    }

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }
}
