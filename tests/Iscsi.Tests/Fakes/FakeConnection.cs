using System.Net.Sockets;
using Iscsi.Pdu;

namespace Iscsi.Tests.Fakes;

/// <summary>
/// One accepted connection of a <see cref="FakeTarget"/>: PDU framing (padding, digests once negotiated),
/// the target's StatSN/ExpCmdSN/MaxCmdSN bookkeeping, and the read loop that hands every PDU to the script.
/// Well-formed replies are in FakeConnection.Replies.cs; anything else goes out with <see cref="SendPduAsync"/>
/// or <see cref="SendRawAsync"/>.
/// </summary>
internal sealed partial class FakeConnection
{
    private readonly FakeTarget _target;
    private readonly TcpClient _client;
    private readonly Socket _socket; // kept: TcpClient forgets its socket once disposed
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _numbers = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _statSn;
    private uint _expCmdSn;
    private uint _maxCmdSn;
    private uint _advertisedMaxCmdSn;

    public FakeConnection(FakeTarget target, TcpClient client, int index)
    {
        _target = target;
        _client = client;
        _socket = client.Client;
        _stream = client.GetStream();
        Index = index;
        _statSn = target.Settings.InitialStatSn;
        WindowSize = target.Settings.SlidingCommandWindow;
    }

    public int Index { get; }
    public FakeTargetSettings Settings => _target.Settings;
    /// <summary>Completes when the initiator closed the connection (or it broke, or we closed it).</summary>
    public Task Closed => _closed.Task;
    public bool LoggedIn { get; private set; }
    public bool HeaderDigest { get; private set; }
    public bool DataDigest { get; private set; }
    /// <summary>The key=value pairs the initiator sent during login, in order.</summary>
    public List<KeyValuePair<string, string>> LoginKeys { get; } = new();
    /// <summary>The Login Request headers received (ISID, TSIH...), in order.</summary>
    public List<LoginRequest> LoginRequests { get; } = new();
    /// <summary>The last value the fake answered for each login key.</summary>
    public Dictionary<string, string> LastAnswer { get; } = new(StringComparer.Ordinal);

    /// <summary>The initiator's declared MaxRecvDataSegmentLength (8192 when it declared none).</summary>
    public int InitiatorMaxRecvDataSegmentLength =>
        LoginKeys.LastOrDefault(k => k.Key == "MaxRecvDataSegmentLength").Value is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : 8192;

    /// <summary>When set, each command received moves MaxCmdSN to ExpCmdSN + WindowSize - 1.</summary>
    public int? WindowSize { get; set; }

    /// <summary>The StatSN the next status-carrying PDU will use.</summary>
    public uint StatSn { get { lock (_numbers) return _statSn; } }
    /// <summary>The next CmdSN we expect: one past the last command received.</summary>
    public uint ExpCmdSn { get { lock (_numbers) return _expCmdSn; } }
    /// <summary>The MaxCmdSN our next PDU will carry.</summary>
    public uint MaxCmdSn
    {
        get { lock (_numbers) return _maxCmdSn; }
        set { lock (_numbers) _maxCmdSn = value; }
    }

    /// <summary>Moves MaxCmdSN forward by <paramref name="slots"/> (the next PDU sent tells the initiator).</summary>
    public void OpenWindow(int slots)
    {
        lock (_numbers) _maxCmdSn += (uint)slots;
    }

    /// <summary>The numbers for a PDU about to be sent; takes a StatSN when <paramref name="advanceStatSn"/>.
    /// The MaxCmdSN returned counts as advertised from now on.</summary>
    public (uint StatSn, uint ExpCmdSn, uint MaxCmdSn) TakeNumbers(bool advanceStatSn)
    {
        lock (_numbers)
        {
            uint statSn = advanceStatSn ? _statSn++ : _statSn;
            if (Serial.GreaterThan(_maxCmdSn, _advertisedMaxCmdSn)) _advertisedMaxCmdSn = _maxCmdSn;
            return (statSn, _expCmdSn, _maxCmdSn);
        }
    }

    /// <summary>Sends one PDU: <paramref name="bhs"/> as given (its DataSegmentLength is not checked, so a test can
    /// lie), a header digest if negotiated (wrong on purpose with <paramref name="corruptHeaderDigest"/>), the data,
    /// its padding and a data digest if negotiated.</summary>
    public async Task SendPduAsync(byte[] bhs, ReadOnlyMemory<byte> data = default, bool corruptHeaderDigest = false)
    {
        if (bhs.Length != Bhs.Length) throw new ArgumentException($"A BHS is {Bhs.Length} bytes, not {bhs.Length}.", nameof(bhs));
        var pdu = new List<byte>(bhs);
        if (HeaderDigest)
        {
            var digest = new byte[Crc32C.DigestLength];
            Crc32C.WriteDigest(digest, Crc32C.Compute(bhs) ^ (corruptHeaderDigest ? 1u : 0u));
            pdu.AddRange(digest);
        }
        if (data.Length > 0)
        {
            var padded = new byte[PduLayout.PadTo4(data.Length)];
            data.Span.CopyTo(padded);
            pdu.AddRange(padded);
            if (DataDigest)
            {
                var digest = new byte[Crc32C.DigestLength];
                Crc32C.WriteDigest(digest, Crc32C.Compute(padded));
                pdu.AddRange(digest);
            }
        }
        // Counted before the write: the initiator can answer, and the test read the count, before this resumes.
        _target.CountSent();
        await SendRawAsync(pdu.ToArray()).ConfigureAwait(false);
    }

    /// <summary>Writes bytes exactly as given: half a PDU, garbage, anything.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes our side: the initiator reads end-of-stream.</summary>
    public void Close()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _client.Dispose();
    }

    /// <summary>Logs in, then reads PDUs until the connection ends, handing each to the script.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await FakeLogin.RunAsync(this, cancellationToken).ConfigureAwait(false))
                return;
            LoggedIn = true;
            while (true)
            {
                var pdu = await ReadPduAsync(cancellationToken).ConfigureAwait(false);
                if (pdu is null) return;
                Account(pdu);
                _target.Record(pdu);
                try
                {
                    await (_target.Script ?? DefaultScript)(this, pdu).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _target.Violation($"The script failed on {pdu}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The initiator (or the test) closed the connection.
        }
        finally
        {
            Close();
            _closed.TrySetResult();
        }
    }

    private static Task DefaultScript(FakeConnection connection, ReceivedPdu pdu) => connection.AnswerDefaultAsync(pdu);

    /// <summary>Checks the command numbering the initiator must keep (RFC 7143 4.2.2.1) and moves ExpCmdSN.</summary>
    private void Account(ReceivedPdu pdu)
    {
        if (!pdu.ConsumesCmdSn) return;
        lock (_numbers)
        {
            if (pdu.CmdSn != _expCmdSn)
                _target.Violation($"{pdu} arrived with CmdSN {pdu.CmdSn}; the next in sequence was {_expCmdSn}.");
            if (!Serial.LessOrEqual(pdu.CmdSn, _advertisedMaxCmdSn))
                _target.Violation($"{pdu} arrived with CmdSN {pdu.CmdSn}, beyond the MaxCmdSN {_advertisedMaxCmdSn} we had advertised.");
            _expCmdSn = pdu.CmdSn + 1;
            if (WindowSize is { } window) _maxCmdSn = _expCmdSn + (uint)window - 1;
        }
    }

    /// <summary>Sets up numbering and digests once the login is complete.</summary>
    internal void StartFullFeaturePhase(uint expCmdSn, uint maxCmdSn, uint nextStatSn, bool headerDigest, bool dataDigest)
    {
        lock (_numbers)
        {
            _expCmdSn = expCmdSn;
            _maxCmdSn = _advertisedMaxCmdSn = maxCmdSn;
            _statSn = nextStatSn;
        }
        HeaderDigest = headerDigest;
        DataDigest = dataDigest;
    }

    /// <summary>Reads one PDU (null at end of stream). Digests are checked when negotiated: a bad one is a violation.</summary>
    internal async Task<ReceivedPdu?> ReadPduAsync(CancellationToken cancellationToken)
    {
        var header = new byte[Bhs.Length];
        if (!await ReadExactlyOrEndAsync(header, cancellationToken).ConfigureAwait(false)) return null;
        int ahs = Bhs.GetTotalAhsLength(header);
        int dsl = Bhs.GetDataSegmentLength(header);
        if (dsl > Settings.MaxRecvDataSegmentLength && LoggedIn)
            _target.Violation($"The initiator sent a {dsl}-byte data segment; we declared MaxRecvDataSegmentLength {Settings.MaxRecvDataSegmentLength}.");
        if (ahs > 0) await _stream.ReadExactlyAsync(new byte[ahs], cancellationToken).ConfigureAwait(false);
        if (HeaderDigest)
        {
            var digest = new byte[Crc32C.DigestLength];
            await _stream.ReadExactlyAsync(digest, cancellationToken).ConfigureAwait(false);
            if (ahs == 0 && !Crc32C.Matches(header, digest)) _target.Violation("Header digest mismatch from the initiator.");
        }
        var data = new byte[dsl];
        if (dsl > 0)
        {
            var padded = new byte[PduLayout.PadTo4(dsl)];
            await _stream.ReadExactlyAsync(padded, cancellationToken).ConfigureAwait(false);
            padded.AsSpan(0, dsl).CopyTo(data);
            if (DataDigest)
            {
                var digest = new byte[Crc32C.DigestLength];
                await _stream.ReadExactlyAsync(digest, cancellationToken).ConfigureAwait(false);
                if (!Crc32C.Matches(padded, digest)) _target.Violation("Data digest mismatch from the initiator.");
            }
        }
        return new ReceivedPdu(header, data, Index);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read > 0) _target.Violation($"The initiator closed the connection {read} bytes into a BHS.");
                return false;
            }
            read += n;
        }
        return true;
    }
}
