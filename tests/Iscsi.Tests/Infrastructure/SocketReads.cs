using System.Net.Sockets;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Bounded reads for socket-level tests: each gives up after a timeout instead of hanging a test.</summary>
internal static class SocketReads
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails if the stream ends first or time runs out.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var data = new byte[count];
        for (int read = 0; read < count;)
        {
            int n = await socket.ReceiveAsync(data.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0) throw new EndOfStreamException($"the stream ended after {read} of {count} bytes");
            read += n;
        }
        return data;
    }

    /// <summary>Reads until the peer closes (FIN, or a reset, which ends the stream too) and returns what came.</summary>
    public static async Task<(byte[] Data, bool Reset)> ReadToEndAsync(Socket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return (all.ToArray(), true);
            }
            if (n == 0) return (all.ToArray(), false);
            all.Write(buffer, 0, n);
        }
    }

    /// <summary>True if something arrives within <paramref name="window"/> (it is consumed).</summary>
    public static async Task<bool> AnythingArrivesWithinAsync(Socket socket, TimeSpan window)
    {
        using var cts = new CancellationTokenSource(window);
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, cts.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends everything, in pieces of the given sizes (cycled), to exercise framing across chunk edges.</summary>
    public static async Task SendInPiecesAsync(Socket socket, byte[] data, params int[] pieceSizes)
    {
        int offset = 0, i = 0;
        while (offset < data.Length)
        {
            int size = pieceSizes.Length == 0 ? data.Length : Math.Min(pieceSizes[i++ % pieceSizes.Length], data.Length - offset);
            await socket.SendAsync(data.AsMemory(offset, size), SocketFlags.None);
            offset += size;
        }
    }
}
