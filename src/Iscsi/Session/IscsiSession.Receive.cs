using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;

namespace Iscsi.Session;

public sealed partial class IscsiSession
{
    /// <summary>The one reader of the connection: reads each PDU and hands it to whoever waits for it.
    /// It never sends on its own thread (a blocked send must not stop us reading).</summary>
    private async Task ReceiveLoopAsync()
    {
        var ct = _closing.Token;
        try
        {
            while (true)
            {
                int dsl = await _reader.ReadHeaderAsync(ct).ConfigureAwait(false);
                var opcode = Bhs.GetOpcode(_reader.Header);
                switch (opcode)
                {
                    case Opcode.DataIn: await OnDataInAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.ScsiResponse: await OnScsiResponseAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.ReadyToTransfer: await OnReadyToTransferAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.NopIn: await OnNopInAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.TaskManagementResponse: await OnTaskManagementResponseAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.TextResponse: await OnTextResponseAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.LogoutResponse:
                        // The target closes the connection after confirming a logout (RFC 7143 11.15): stop reading,
                        // so that its close is not taken for a failure of a session that ended cleanly.
                        if (await OnLogoutResponseAsync(dsl, ct).ConfigureAwait(false)) return;
                        break;
                    case Opcode.AsyncMessage: await OnAsyncMessageAsync(dsl, ct).ConfigureAwait(false); break;
                    case Opcode.Reject: await OnRejectAsync(dsl, ct).ConfigureAwait(false); break;
                    default:
                        throw new IscsiProtocolException(
                            $"The target sent opcode 0x{(byte)opcode:X2}, which is not a target-to-initiator PDU in full feature phase.",
                            "UnexpectedOpcode");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception ex)
        {
            OnConnectionFailed(ex switch
            {
                IscsiException ie => ie,
                IOException or System.Net.Sockets.SocketException or ObjectDisposedException =>
                    new IscsiConnectionException($"The connection to {TargetHost}:{TargetPort} was lost: {ex.Message}", "ConnectionLost", ex),
                _ => new IscsiProtocolException($"Receiving from {TargetHost}:{TargetPort} failed: {ex.Message}", "ProtocolError", ex),
            });
        }
    }

    private void UpdateNumbers(uint statSn, bool advancesStatSn, uint expCmdSn, uint maxCmdSn)
    {
        if (advancesStatSn) _window.AcknowledgeStatSn(statSn);
        _window.Update(expCmdSn, maxCmdSn);
    }

    /// <summary>The command a PDU belongs to; null for a command we gave up on (its PDU is dropped).</summary>
    private ScsiCommandState? CommandFor(uint tag, string what)
        => Find<ScsiCommandState>(tag)
           ?? (IsAbandoned(tag) ? null
               : throw new IscsiProtocolException($"The target sent {what} for task tag 0x{tag:X8}, which is not a command in flight.", "UnknownTaskTag"));

    private void EnsureKnownOrAbandoned(uint tag, string what)
    {
        if (!IsAbandoned(tag))
            throw new IscsiProtocolException($"The target sent {what} for task tag 0x{tag:X8}, which is not waiting for one.", "UnknownTaskTag");
    }

    /*  Data-In (RFC 7143 11.7): the payload goes straight into the command's buffers at BufferOffset.
        Anything past the expected length is a broken or hostile target: refuse it before reading it.  */
    private async ValueTask OnDataInAsync(int dsl, CancellationToken ct)
    {
        DataIn.TryRead(_reader.Header, out var pdu);
        var state = CommandFor(pdu.InitiatorTaskTag, "Data-In");
        if (state is null)
        {
            await _reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
            UpdateNumbers(pdu.StatSn, pdu.HasStatus, pdu.ExpCmdSn, pdu.MaxCmdSn);
            return;
        }
        long end = (long)pdu.BufferOffset + dsl;
        if (end > state.ExpectedDataIn)
            throw new IscsiProtocolException(
                $"Data-In for task 0x{pdu.InitiatorTaskTag:X8} covers bytes {pdu.BufferOffset}..{end} but only {state.ExpectedDataIn} were expected.",
                "DataInBeyondExpectedLength");
        if (pdu.HasStatus && !pdu.Final)
            throw new IscsiProtocolException("A Data-In PDU carries status without the F bit.", "DataInStatusNotFinal");

        uint digest = Crc32C.InitialState;
        int offset = (int)pdu.BufferOffset, remaining = dsl;
        while (remaining > 0)
        {
            var destination = state.DestinationAt(offset, remaining);
            digest = await _reader.ReadPartAsync(destination, digest, ct).ConfigureAwait(false);
            offset += destination.Length;
            remaining -= destination.Length;
        }
        try
        {
            await _reader.FinishSegmentAsync(dsl, digest, ct).ConfigureAwait(false);
        }
        catch (DataDigestException)
        {
            state.DataDigestFailed = true;
        }
        state.DataInReceived += dsl;
        Interlocked.Add(ref _counters.DataInBytes, dsl);
        UpdateNumbers(pdu.StatSn, pdu.HasStatus, pdu.ExpCmdSn, pdu.MaxCmdSn);

        if (pdu.HasStatus)
        {
            Complete(state, (ScsiStatus)pdu.Status, 0, default,
                pdu.Overflow ? ResidualKind.Overflow : pdu.Underflow ? ResidualKind.Underflow : ResidualKind.None,
                pdu.Overflow || pdu.Underflow ? pdu.ResidualCount : 0, ResidualKind.None, 0);
        }
    }

    private async ValueTask OnScsiResponseAsync(int dsl, CancellationToken ct)
    {
        ScsiResponse.TryRead(_reader.Header, out var pdu);
        var state = CommandFor(pdu.InitiatorTaskTag, "a SCSI Response");
        if (state is null)
        {
            await _reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
            UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
            return;
        }
        bool digestFailed = false;
        RentedSegment segment = default;
        try
        {
            try
            {
                segment = await _reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
            }
            catch (DataDigestException)
            {
                digestFailed = true;
            }
            UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
            ReadOnlySpan<byte> sense = default;
            if (segment.Length > 0 && !ScsiResponseData.TryParse(segment.Span, out sense, out _))
                throw new IscsiProtocolException(
                    $"The SCSI Response for task 0x{pdu.InitiatorTaskTag:X8} has a sense length past its {segment.Length}-byte data segment.",
                    "SenseLengthInvalid");
            if (digestFailed) state.DataDigestFailed = true;
            Complete(state, (ScsiStatus)pdu.Status, pdu.Response, sense,
                pdu.Overflow ? ResidualKind.Overflow : pdu.Underflow ? ResidualKind.Underflow : ResidualKind.None,
                pdu.Overflow || pdu.Underflow ? pdu.ResidualCount : 0,
                pdu.BidiOverflow ? ResidualKind.Overflow : pdu.BidiUnderflow ? ResidualKind.Underflow : ResidualKind.None,
                pdu.BidiOverflow || pdu.BidiUnderflow ? pdu.BidirectionalReadResidualCount : 0);
        }
        finally
        {
            segment.Dispose();
        }
    }

    private void Complete(ScsiCommandState state, ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind kind, uint count, ResidualKind bidiKind, uint bidiCount)
    {
        Unregister(state);
        if (state.DataDigestFailed)
        {
            state.Fail(new IscsiProtocolException(
                $"{CdbName(state)} to LUN {state.Command.Lun} failed: a data digest error corrupted its data; nothing it returned can be trusted.",
                "DataDigestError"));
            return;
        }
        state.Completion.TrySetResult(state.BuildResult(status, response, sense, kind, count, bidiKind, bidiCount));
    }

    /*  R2T (RFC 7143 11.8): the target asks for [BufferOffset, +DesiredDataTransferLength) of a write.  */
    private async ValueTask OnReadyToTransferAsync(int dsl, CancellationToken ct)
    {
        ReadyToTransfer.TryRead(_reader.Header, out var pdu);
        await _reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, false, pdu.ExpCmdSn, pdu.MaxCmdSn);
        var state = CommandFor(pdu.InitiatorTaskTag, "an R2T");
        if (state is null) return;
        long end = (long)pdu.BufferOffset + pdu.DesiredDataTransferLength;
        if (pdu.DesiredDataTransferLength == 0 || end > state.DataOutLength)
            throw new IscsiProtocolException(
                $"R2T for task 0x{pdu.InitiatorTaskTag:X8} asks for bytes {pdu.BufferOffset}..{end} of a {state.DataOutLength}-byte write.",
                "R2TOutOfRange");
        if (pdu.DesiredDataTransferLength > (uint)Negotiated.MaxBurstLength)
            throw new IscsiProtocolException(
                $"R2T asks for {pdu.DesiredDataTransferLength} bytes, more than MaxBurstLength {Negotiated.MaxBurstLength}.", "R2TTooLong");
        RespondToR2T(state, pdu.TargetTransferTag, (int)pdu.BufferOffset, (int)pdu.DesiredDataTransferLength);
    }

    /*  NOP-In (RFC 7143 11.19): the answer to our ping, or the target's own ping that we must echo.  */
    private async ValueTask OnNopInAsync(int dsl, CancellationToken ct)
    {
        NopIn.TryRead(_reader.Header, out var pdu);
        Interlocked.Increment(ref _counters.NopInReceived);
        using var data = await _reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, pdu.InitiatorTaskTag != ReservedTag, pdu.ExpCmdSn, pdu.MaxCmdSn);
        if (pdu.InitiatorTaskTag != ReservedTag)
        {
            if (Find<PendingPing>(pdu.InitiatorTaskTag) is { } ping)
            {
                Unregister(ping);
                ping.Answered.TrySetResult(Stopwatch.GetTimestamp());
            }
            return;
        }
        if (pdu.TargetTransferTag != ReservedTag)
            AnswerTargetPing(pdu.Lun, pdu.TargetTransferTag, data.Span.ToArray());
    }

    private void AnswerTargetPing(ulong lun, uint targetTransferTag, byte[] data)
    {
        ThreadPool.UnsafeQueueUserWorkItem(static async s =>
        {
            var (session, lun, ttt, data) = s;
            try
            {
                await session._transport.SendLock.WaitAsync(session._closing.Token).ConfigureAwait(false);
                try
                {
                    new NopOut
                    {
                        Immediate = true, Lun = lun, InitiatorTaskTag = ReservedTag, TargetTransferTag = ttt,
                        CmdSn = session._window.NextCmdSn, ExpStatSn = session._window.ExpStatSn, DataSegmentLength = data.Length,
                    }.WriteTo(session._sendBhs);
                    session.QueueLocked(data);
                }
                finally
                {
                    session._transport.SendLock.Release();
                }
            }
            catch (Exception)
            {
                // A failed send has already failed the connection.
            }
        }, (this, lun, targetTransferTag, data), preferLocal: false);
    }

    private async ValueTask OnTaskManagementResponseAsync(int dsl, CancellationToken ct)
    {
        TaskManagementResponse.TryRead(_reader.Header, out var pdu);
        await _reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        if (Find<PendingTaskManagement>(pdu.InitiatorTaskTag) is not { } pending)
        {
            EnsureKnownOrAbandoned(pdu.InitiatorTaskTag, "a Task Management Response");
            return;
        }
        Unregister(pending);
        if ((TaskManagementResponseCode)pdu.Response == TaskManagementResponseCode.FunctionComplete)
            FailEndedTasks(pending.Function, pending.Lun, pending.Referenced);
        pending.Response.TrySetResult(pdu.Response);
    }

    private async ValueTask OnTextResponseAsync(int dsl, CancellationToken ct)
    {
        TextResponse.TryRead(_reader.Header, out var pdu);
        using var data = await _reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        if (Find<PendingText>(pdu.InitiatorTaskTag) is not { } pending)
        {
            EnsureKnownOrAbandoned(pdu.InitiatorTaskTag, "a Text Response");
            return;
        }
        pending.Response.TrySetResult((pdu, data.Span.ToArray()));
    }

    /// <summary>True when this confirmed our logout: nothing more will come on this connection.</summary>
    private async ValueTask<bool> OnLogoutResponseAsync(int dsl, CancellationToken ct)
    {
        LogoutResponse.TryRead(_reader.Header, out var pdu);
        await _reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        if (Find<PendingLogout>(pdu.InitiatorTaskTag) is not { } pending) return false;
        Unregister(pending);
        pending.Response.TrySetResult(pdu);
        return true;
    }

    /*  Asynchronous Message (RFC 7143 11.9).  */
    private async ValueTask OnAsyncMessageAsync(int dsl, CancellationToken ct)
    {
        Pdu.AsyncMessage.TryRead(_reader.Header, out var pdu);
        using var data = await _reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        Interlocked.Increment(ref _counters.AsyncMessages);
        var args = new IscsiAsyncMessageEventArgs
        {
            AsyncEvent = pdu.AsyncEvent, AsyncVCode = pdu.AsyncVCode,
            Parameter1 = pdu.Parameter1, Parameter2 = pdu.Parameter2, Parameter3 = pdu.Parameter3,
            Description = DescribeAsyncEvent(pdu),
        };
        Raise(AsyncMessageReceived, args);
        switch ((AsyncEventCode)pdu.AsyncEvent)
        {
            case AsyncEventCode.ScsiAsyncEvent:
                ReadOnlySpan<byte> sense = default;
                if (data.Length >= 2) ScsiResponseData.TryParse(data.Span, out sense, out _);
                var raw = sense.ToArray();
                Raise(AsyncEvent, new ScsiAsyncEventArgs
                {
                    Lun = LunEncoding.Decode(pdu.Lun), Sense = raw.Length > 0 ? SenseData.Parse(raw) : null, RawSense = raw,
                });
                break;
            case AsyncEventCode.LogoutRequest:
                // The target wants us gone (within Parameter3 seconds): log out cleanly, commands in flight first.
                _ = Task.Run(async () =>
                {
                    try { await LogoutAsync().ConfigureAwait(false); } catch (Exception) { /* failure already recorded */ }
                });
                break;
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null) return;
        // Handlers run off the receive loop: a slow or throwing handler must not stall or kill the connection.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            try { handler(this, args); } catch (Exception) { /* a subscriber's bug is not the session's */ }
        });
    }

    private static string DescribeAsyncEvent(Pdu.AsyncMessage pdu) => (AsyncEventCode)pdu.AsyncEvent switch
    {
        AsyncEventCode.ScsiAsyncEvent => "SCSI asynchronous event (sense data attached)",
        AsyncEventCode.LogoutRequest => $"The target requests a logout within {pdu.Parameter3} s",
        AsyncEventCode.DropConnection => $"The target will drop this connection (reconnect after {pdu.Parameter2} s)",
        AsyncEventCode.DropAllConnections => $"The target will drop all connections (reconnect after {pdu.Parameter2} s)",
        AsyncEventCode.RequestTextNegotiation => "The target requests parameter renegotiation",
        _ => $"Vendor-specific asynchronous event 0x{pdu.AsyncEvent:X2} (code 0x{pdu.AsyncVCode:X2})",
    };

    /*  Reject (RFC 7143 11.17): the data segment is the rejected PDU's header. A rejected command fails with
        the reason; nothing else is disturbed (the seed: never crash on REJECT).  */
    private async ValueTask OnRejectAsync(int dsl, CancellationToken ct)
    {
        Reject.TryRead(_reader.Header, out var pdu);
        using var data = await _reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        Interlocked.Increment(ref _counters.Rejects);
        if (data.Length < Bhs.Length) return;
        uint tag = Bhs.GetInitiatorTaskTag(data.Span);
        var rejectedOpcode = Bhs.GetOpcode(data.Span);
        PendingRequest? pending;
        lock (_pending) _pending.TryGetValue(tag, out pending);
        if (pending is null) return;
        Unregister(pending);
        pending.Fail(new IscsiProtocolException(
            $"The target rejected the {rejectedOpcode} PDU (task 0x{tag:X8}): {RejectReasons.Describe(pdu.Reason)} (reason 0x{pdu.Reason:X2}).",
            "PduRejected"));
    }

    /// <summary>The connection is gone (or could not be trusted): every waiter fails with the reason.</summary>
    private void OnConnectionFailed(Exception error)
    {
        PendingRequest[] waiting;
        lock (_pending)
        {
            if (!_connected) return;
            _connected = false;
            _failure ??= error;
            waiting = _pending.Values.ToArray();
            _pending.Clear();
        }
        _closing.Cancel();
        _timeoutTimer.Dispose();
        _transport.Abort();
        var failure = error as IscsiException
            ?? new IscsiConnectionException($"The connection to {TargetHost}:{TargetPort} failed: {error.Message}", "ConnectionLost", error);
        foreach (var p in waiting) p.Fail(failure);
    }
}
