using System.Net;
using System.Net.Sockets;

namespace EdgeLlm.Testing;

/// <summary>
/// Ports for the servers the tests start as other processes (daemons, brokers), which must be named before they bind.
/// A port the kernel hands out for port 0 comes from the ephemeral range, where any outgoing connection (hundreds of
/// them in the stream tests) may take it before the server binds; these come from below that range, and each test
/// process starts at a random place in it, so test assemblies running side by side do not walk the same ports.
/// </summary>
internal static class LoopbackPorts
{
    // Linux's ephemeral range starts at 32768 (net.ipv4.ip_local_port_range).
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A loopback port nothing listens on now and no outgoing connection will be given.</summary>
    public static int Reserve()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + ((Interlocked.Increment(ref _next) & int.MaxValue) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: by another test process, or a service of the machine's own.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count}.");
    }
}
