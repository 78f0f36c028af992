using System.Net;
using System.Net.Sockets;

namespace Songjiang.Testing;

/// <summary>Loopback ports nobody listens on right now, for hosts started by a test.</summary>
public static class FreePorts
{
    /// <summary>Takes <paramref name="count"/> distinct free ports.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
