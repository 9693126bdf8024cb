using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Iscsi.Pdu;

namespace Iscsi.Session;

/// <summary>
/// One TCP connection carrying iSCSI PDUs: framing (padding, digests) in both directions, nothing about
/// what the PDUs mean. Login writes directly (<see cref="SendAsync"/>, one caller at a time); full feature phase
/// queues through <see cref="Queue"/>.
/// </summary>
internal sealed class IscsiTransport : IAsyncDisposable
{
    // Data segments up to this size are copied next to their header and sent with one write: a copy of a
    // few KiB is cheaper than a second system call and a second TCP segment.
    private const int CoalesceLimit = 16 * 1024;

    // How long one poll of a connect waits before the cancellation token is looked at again.
    private const int ConnectPollMicroseconds = 100_000;

    private readonly Socket _socket;
    private readonly PolledSocketStream _stream;
    private readonly byte[] _sendBuffer = new byte[Bhs.Length + 4 + CoalesceLimit + 8];
    private readonly byte[] _trailer = new byte[8];

    private IscsiTransport(Socket socket, string host, int port)
    {
        _socket = socket;
        _stream = new PolledSocketStream(socket);
        Receiver = new ReceiveBuffer(_stream);
        Host = host;
        Port = port;
    }

    public string Host { get; }
    public int Port { get; }
    public ReceiveBuffer Receiver { get; }
    /// <summary>See IscsiSessionOptions.ReceiveSpin.</summary>
    public TimeSpan ReceiveSpin { get => _stream.Spin; set => _stream.Spin = value; }
    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }
    public long BytesSent => _directBytes + (Queue?.BytesSent ?? 0);
    public long PdusSent => _directPdus + (Queue?.PdusSent ?? 0);
    private long _directBytes;
    private long _directPdus;

    /// <summary>The queued send path of full feature phase (null during login, which writes directly).</summary>
    public SendQueue? Queue { get; private set; }

    public SendQueue StartQueue(Action<Exception> failed)
    {
        Queue = new SendQueue(_stream, failed) { HeaderDigest = HeaderDigest, DataDigest = DataDigest };
        return Queue;
    }

    public static async Task<IscsiTransport> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(host))
            throw new IscsiArgumentException("PortalAddressEmpty", "The target portal address is empty.");
        if (port is < 1 or > 65535)
            throw new IscsiArgumentException("PortalPortInvalid", $"The target portal port {port} is outside 1..65535.");

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, timeoutCts.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new IscsiConnectionException($"The portal address '{host}' could not be resolved: {ex.Message}", "PortalNotResolved", ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IscsiConnectionException($"Resolving '{host}' took longer than {timeout.TotalSeconds:0.#} s.", "PortalNotResolved");
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // On a thread of its own: the connect waits in poll (see PolledSocketStream for why this socket never
                // meets the runtime's asynchronous socket engine), and a pool thread should not sit there.
                var endpoint = new IPEndPoint(address, port);
                var token = timeoutCts.Token;
                await Task.Factory.StartNew(() => Connect(socket, endpoint, token), token,
                    TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
                return new IscsiTransport(socket, host, port);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new IscsiConnectionException(
                    $"Connecting to portal {host}:{port} took longer than {timeout.TotalSeconds:0.#} s.", "PortalUnreachable");
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new IscsiConnectionException(
            $"Cannot connect to portal {host}:{port}: {last?.Message ?? "no address"}.", "PortalUnreachable", last);
    }

    /// <summary>A non-blocking connect, waited for in poll.</summary>
    private static void Connect(Socket socket, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
            return;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }
        // Windows reports a failed connect as an error condition only, Linux also as writable: ask both, then
        // SO_ERROR says which it was.
        while (!socket.Poll(ConnectPollMicroseconds, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError))
            cancellationToken.ThrowIfCancellationRequested();
        var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != SocketError.Success)
            throw new SocketException((int)error);
    }

    /// <summary>Sends one PDU: the 48-byte BHS in <paramref name="bhs"/> (DataSegmentLength already set)
    /// and its data segment. Login only: one caller at a time.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bhs, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        int headerLength = Bhs.Length + (HeaderDigest ? 4 : 0);
        bhs.Span.CopyTo(_sendBuffer);
        if (HeaderDigest)
            Crc32C.WriteDigest(_sendBuffer.AsSpan(Bhs.Length), Crc32C.Compute(_sendBuffer.AsSpan(0, Bhs.Length)));

        int trailerLength = TrailerFor(data.Span);
        if (data.Length <= CoalesceLimit)
        {
            data.Span.CopyTo(_sendBuffer.AsSpan(headerLength));
            _trailer.AsSpan(0, trailerLength).CopyTo(_sendBuffer.AsSpan(headerLength + data.Length));
            int total = headerLength + data.Length + trailerLength;
            CountSent(total);
            await _stream.WriteAsync(_sendBuffer.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            CountSent(headerLength + data.Length + trailerLength);
            await _stream.WriteAsync(_sendBuffer.AsMemory(0, headerLength), cancellationToken).ConfigureAwait(false);
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            if (trailerLength > 0)
                await _stream.WriteAsync(_trailer.AsMemory(0, trailerLength), cancellationToken).ConfigureAwait(false);
        }
    }

    // Counted when handed to the socket, before the write: the peer may answer (and someone read the
    // statistics) before the writing thread resumes.
    private void CountSent(int bytes)
    {
        _directBytes += bytes;
        _directPdus++;
    }

    /// <summary>Fills <see cref="_trailer"/> with padding and data digest; returns its length.</summary>
    private int TrailerFor(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return 0;
        int pad = PduLayout.PaddingOf(data.Length);
        _trailer.AsSpan(0, pad).Clear();
        if (!DataDigest) return pad;
        // The digest covers the data and its padding (RFC 7143 13.1).
        uint state = Crc32C.Update(Crc32C.InitialState, data);
        state = Crc32C.Update(state, _trailer.AsSpan(0, pad));
        Crc32C.WriteDigest(_trailer.AsSpan(pad), Crc32C.Finish(state));
        return pad + 4;
    }

    public void Abort()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return _stream.DisposeAsync();
    }
}
