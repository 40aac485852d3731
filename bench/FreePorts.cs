using System.Net;
using System.Net.Sockets;

namespace Sessions.Bench;

/// <summary>Loopback ports nothing listens on right now.</summary>
internal static class FreePorts
{
    public static int One()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A base port with <paramref name="count"/> free ports after it (base+1 .. base+count), for the cluster script's port bases.</summary>
    public static int Base(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 40_000);
            if (Enumerable.Range(candidate, count + 1).All(IsFree))
                return candidate;
        }
        throw new InvalidOperationException("No run of free loopback ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
