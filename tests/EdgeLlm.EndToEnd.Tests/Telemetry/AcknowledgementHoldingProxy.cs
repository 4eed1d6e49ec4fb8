using System.Net;
using System.Net.Sockets;

namespace EdgeLlm.EndToEnd.Tests.Telemetry;

/// <summary>
/// A TCP proxy in front of the broker that can hold back everything the broker sends (PUBACKs included)
/// while still passing what the client sends: the broker gets and delivers a publish whose
/// acknowledgement the client never sees, which is the window a kill -9 must not lose a record in.
/// </summary>
internal sealed class AcknowledgementHoldingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _brokerPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private volatile bool _holding;

    public AcknowledgementHoldingProxy(int brokerPort)
    {
        _brokerPort = brokerPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>While true, bytes from the broker to clients are kept back (not read from the broker at all).</summary>
    public bool HoldBrokerToClient
    {
        get => _holding;
        set => _holding = value;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var broker = new TcpClient();
                await broker.ConnectAsync(IPAddress.Loopback, _brokerPort, _stop.Token);
                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(broker);
                }

                _ = PumpAsync(client, broker, hold: false);
                _ = PumpAsync(broker, client, hold: true);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool hold)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                while (hold && _holding)
                {
                    await Task.Delay(10, _stop.Token);
                }

                var read = await from.GetStream().ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                while (hold && _holding)
                {
                    await Task.Delay(10, _stop.Token);
                }

                await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // One side went away.
        }

        // Closing both ends lets the broker see a dead client at once (and publish its will).
        from.Dispose();
        to.Dispose();
    }
}
