using System.Net;
using System.Net.Sockets;

namespace Songjiang.Testing;

/// <summary>Loopback ports nobody listens on right now, for hosts started by a test.</summary>
/// <remarks>
/// Ports come from 20000–32767, below Linux's ephemeral range (32768–60999): a port the kernel hands out for "any
/// port" can be taken again by an outgoing connection before the test host binds it, which a port outside that range
/// cannot. Ports already handed out in this process are not handed out again.
/// </remarks>
public static class FreePorts
{
    private const int First = 20000;
    private const int Last = 32767;
    private static readonly HashSet<int> Taken = [];
    private static readonly Lock Gate = new();

    /// <summary>Takes <paramref name="count"/> distinct free ports.</summary>
    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        lock (Gate)
        {
            for (var attempts = 0; ports.Count < count; attempts++)
            {
                if (attempts > 10_000)
                {
                    throw new InvalidOperationException("No free loopback ports left in 20000–32767.");
                }
                var port = Random.Shared.Next(First, Last + 1);
                if (Taken.Contains(port) || !IsFree(port))
                {
                    continue;
                }
                Taken.Add(port);
                ports.Add(port);
            }
        }
        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
