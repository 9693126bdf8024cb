using System.Runtime.CompilerServices;
using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;

namespace Iscsi.Session;

public sealed partial class IscsiSession
{
    /// <summary>The one reader of the connection, on a thread of its own: reads each PDU and hands it to whoever waits
    /// for it. It never waits for a send (a blocked send must not stop us reading): what it writes goes out at once
    /// or finishes on a pool thread.</summary>
    private async Task ReceiveLoopAsync(SessionConnection c)
    {
        var ct = c.Closing.Token;
        var reader = c.Reader;
        try
        {
            while (true)
            {
                int dsl = await reader.ReadHeaderAsync(ct).ConfigureAwait(false);
                var opcode = Bhs.GetOpcode(reader.Header);
                switch (opcode)
                {
                    case Opcode.DataIn: await OnDataInAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.ScsiResponse: await OnScsiResponseAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.ReadyToTransfer: await OnReadyToTransferAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.NopIn: await OnNopInAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.TaskManagementResponse: await OnTaskManagementResponseAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.TextResponse: await OnTextResponseAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.LogoutResponse:
                        // The target closes the connection after confirming a logout (RFC 7143 11.15): stop reading,
                        // so that its close is not taken for a failure of a session that ended cleanly.
                        if (await OnLogoutResponseAsync(c, dsl, ct).ConfigureAwait(false)) return;
                        break;
                    case Opcode.AsyncMessage: await OnAsyncMessageAsync(c, dsl, ct).ConfigureAwait(false); break;
                    case Opcode.Reject: await OnRejectAsync(c, dsl, ct).ConfigureAwait(false); break;
                    default:
                        throw new IscsiProtocolException(
                            $"The target sent a PDU with {OpcodeNames.Describe(opcode)}, which is not a target-to-initiator PDU in full feature phase.",
                            "UnexpectedOpcode");
                }
                if (c.FlushOwed && !reader.HeaderBuffered)
                {
                    // Inline continuations queued commands (SessionConnection): one write for all of them.
                    c.FlushOwed = false;
                    c.Queue.FlushHere();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception ex)
        {
            OnConnectionFailed(c, ex switch
            {
                IscsiException ie => ie,
                IOException or System.Net.Sockets.SocketException or ObjectDisposedException =>
                    new IscsiConnectionException($"The connection to {TargetHost}:{TargetPort} was lost: {ex.Message}", "ConnectionLost", ex),
                _ => new IscsiProtocolException($"Receiving from {TargetHost}:{TargetPort} failed: {ex.Message}", "ProtocolError", ex),
            });
        }
    }

    private static void UpdateNumbers(SessionConnection c, uint statSn, bool advancesStatSn, uint expCmdSn, uint maxCmdSn)
    {
        if (advancesStatSn) c.Window.AcknowledgeStatSn(statSn);
        c.Window.Update(expCmdSn, maxCmdSn);
    }

    /// <summary>The command a PDU belongs to; null for a command we gave up on (its PDU is dropped).</summary>
    private ScsiCommandState? CommandFor(uint tag, string what)
        => Find<ScsiCommandState>(tag)
           ?? (IsAbandoned(tag) ? null
               : throw new IscsiProtocolException($"The target sent {what} for task tag 0x{tag:X8}, which is not a command in flight.", "UnknownTaskTag")
                 { InitiatorTaskTag = tag });

    private void EnsureKnownOrAbandoned(uint tag, string what)
    {
        if (!IsAbandoned(tag))
            throw new IscsiProtocolException($"The target sent {what} for task tag 0x{tag:X8}, which is not waiting for one.", "UnknownTaskTag")
                { InitiatorTaskTag = tag };
    }

    /*  Data-In (RFC 7143 11.7): the payload goes straight into the command's buffers at BufferOffset.
        Anything past the expected length is a broken or hostile target: refuse it before reading it.
        The per-I/O handlers (Data-In, SCSI Response, R2T) use pooled state machines: a large Data-In waits for the
        socket several times per command, and a boxed state machine per wait was the last allocation per I/O.  */
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask OnDataInAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        DataIn.TryRead(c.Reader.Header, out var pdu);
        var state = CommandFor(pdu.InitiatorTaskTag, "Data-In");
        if (state is null)
        {
            await c.Reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
            UpdateNumbers(c, pdu.StatSn, pdu.HasStatus, pdu.ExpCmdSn, pdu.MaxCmdSn);
            return;
        }
        long end = (long)pdu.BufferOffset + dsl;
        if (end > state.ExpectedDataIn)
            throw new IscsiProtocolException(
                $"Data-In for task 0x{pdu.InitiatorTaskTag:X8} covers bytes {pdu.BufferOffset}..{end} but only {state.ExpectedDataIn} were expected.",
                "DataInBeyondExpectedLength") { InitiatorTaskTag = pdu.InitiatorTaskTag };
        if (pdu.HasStatus && !pdu.Final)
            throw new IscsiProtocolException($"A Data-In PDU for task 0x{pdu.InitiatorTaskTag:X8} carries status without the F bit.", "DataInStatusNotFinal")
                { InitiatorTaskTag = pdu.InitiatorTaskTag };
        if (dsl > 0 && c.Negotiated.DataPduInOrder && !IsNextInOrder(state, pdu))
        {
            // With DataPDUInOrder=Yes (RFC 7143 13.18) Data-In arrives at increasing, contiguous offsets with DataSN
            // 0, 1, 2...: an overlap or a hole would make a read report data that was written twice or never. The
            // PDU itself is well framed, so only the command fails; the connection goes on.
            await c.Reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
            UpdateNumbers(c, pdu.StatSn, pdu.HasStatus, pdu.ExpCmdSn, pdu.MaxCmdSn);
            Abandon(state);
            state.Fail(new IscsiProtocolException(
                $"Data-In for task 0x{pdu.InitiatorTaskTag:X8} is out of order: it covers bytes {pdu.BufferOffset}..{end} with DataSN {pdu.DataSn}, " +
                $"but the next in order were byte {state.DataInReceived} and DataSN {state.NextDataSn} (DataPDUInOrder=Yes was negotiated).",
                "DataInOutOfOrder"));
            return;
        }
        state.NextDataSn++;

        uint digest = Crc32C.InitialState;
        int offset = (int)pdu.BufferOffset, remaining = dsl;
        while (remaining > 0)
        {
            var destination = state.DestinationAt(offset, remaining);
            digest = await c.Reader.ReadPartAsync(destination, digest, ct).ConfigureAwait(false);
            offset += destination.Length;
            remaining -= destination.Length;
        }
        try
        {
            await c.Reader.FinishSegmentAsync(dsl, digest, ct).ConfigureAwait(false);
        }
        catch (DataDigestException)
        {
            state.DataDigestFailed = true;
        }
        state.DataInReceived += dsl;
        Interlocked.Add(ref _counters.DataInBytes, dsl);
        UpdateNumbers(c, pdu.StatSn, pdu.HasStatus, pdu.ExpCmdSn, pdu.MaxCmdSn);

        if (pdu.HasStatus)
        {
            Complete(c, state, (ScsiStatus)pdu.Status, 0, default,
                pdu.Overflow ? ResidualKind.Overflow : pdu.Underflow ? ResidualKind.Underflow : ResidualKind.None,
                pdu.Overflow || pdu.Underflow ? pdu.ResidualCount : 0, ResidualKind.None, 0);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask OnScsiResponseAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        ScsiResponse.TryRead(c.Reader.Header, out var pdu);
        var state = CommandFor(pdu.InitiatorTaskTag, "a SCSI Response");
        if (state is null)
        {
            await c.Reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
            UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
            return;
        }
        bool digestFailed = false;
        RentedSegment segment = default;
        try
        {
            try
            {
                segment = await c.Reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
            }
            catch (DataDigestException)
            {
                digestFailed = true;
            }
            UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
            ReadOnlySpan<byte> sense = default;
            if (segment.Length > 0 && !ScsiResponseData.TryParse(segment.Span, out sense, out _))
                throw new IscsiProtocolException(
                    $"The SCSI Response for task 0x{pdu.InitiatorTaskTag:X8} has a sense length past its {segment.Length}-byte data segment.",
                    "SenseLengthInvalid") { InitiatorTaskTag = pdu.InitiatorTaskTag };
            if (digestFailed) state.DataDigestFailed = true;
            Complete(c, state, (ScsiStatus)pdu.Status, pdu.Response, sense,
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

    private void Complete(SessionConnection c, ScsiCommandState state, ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind kind, uint count, ResidualKind bidiKind, uint bidiCount)
    {
        if (c.Open) c.MadeProgress = true; // a callers' command: the target works with us (the LU check after a reconnect does not count)
        bool repeat = false;
        if (state.DataDigestFailed && state.Command.IsRepeatable && state.DigestRepeats < MaxDigestRepeats)
        {
            // ERL 0 has no SNACK to ask for the damaged PDU again: send the whole command again.
            state.DigestRepeats++;
            Interlocked.Increment(ref _counters.CommandsRepeated);
            repeat = true;
        }
        else if (status == ScsiStatus.CheckCondition && !state.DataDigestFailed && AbsorbsUnitAttention(state, sense))
        {
            // Power on / reset / nexus loss (29h/xx): the command did not run (see Scsi/UnitAttention.cs).
            state.UnitAttentionRepeats++;
            repeat = true;
        }
        if (repeat)
        {
            // Same tag: the target has ended the task. Nothing more arrives for this attempt, so its counts can be reset here.
            state.ResetForRepeat();
            RepeatInBackground(state);
            return;
        }
        Unregister(state);
        if (state.DataDigestFailed)
        {
            state.Fail(new IscsiProtocolException(
                $"{CdbName(state)} to LUN {state.Command.Lun} failed: a data digest error corrupted its data; nothing it returned can be trusted.",
                "DataDigestError"));
            return;
        }
        if (!InlineCompletions)
        {
            state.TrySucceed(status, response, sense, kind, count, bidiKind, bidiCount);
            return;
        }
        c.CompletingThread = Environment.CurrentManagedThreadId; // the continuation runs inside TrySucceed
        try
        {
            state.TrySucceed(status, response, sense, kind, count, bidiKind, bidiCount);
        }
        finally
        {
            c.CompletingThread = 0;
        }
    }

    /// <summary>The Data-In continues the command's data where the previous one ended. DataSN is only checked for
    /// commands without Data-Out: for a bidirectional command R2Ts share its numbering (RFC 7143 11.7.5).</summary>
    private static bool IsNextInOrder(ScsiCommandState state, DataIn pdu)
        => pdu.BufferOffset == (uint)state.DataInReceived && (state.DataOutLength > 0 || pdu.DataSn == state.NextDataSn);

    /*  R2T (RFC 7143 11.8): the target asks for [BufferOffset, +DesiredDataTransferLength) of a write.  */
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask OnReadyToTransferAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        ReadyToTransfer.TryRead(c.Reader.Header, out var pdu);
        await c.Reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, false, pdu.ExpCmdSn, pdu.MaxCmdSn);
        var state = CommandFor(pdu.InitiatorTaskTag, "an R2T");
        if (state is null) return;
        CheckR2T(c, state, pdu);
        state.NextR2TSn++;
        RespondToR2T(c, state, pdu.TargetTransferTag, (int)pdu.BufferOffset, (int)pdu.DesiredDataTransferLength);
    }

    /// <summary>An R2T may ask only for the next bytes of the write that have not been sent yet, in R2TSN order, no more
    /// than a burst: at ERL 0 (no recovery R2Ts) with DataSequenceInOrder=Yes (what we offer; the result is an OR), every
    /// byte is asked for at most once. A target asking for the same bytes again and again could otherwise make us send
    /// gigabytes for a one-megabyte write.</summary>
    private static void CheckR2T(SessionConnection c, ScsiCommandState state, in ReadyToTransfer pdu)
    {
        uint tag = pdu.InitiatorTaskTag;
        long end = (long)pdu.BufferOffset + pdu.DesiredDataTransferLength;
        if (pdu.DesiredDataTransferLength == 0 || end > state.DataOutLength)
            throw new IscsiProtocolException(
                $"R2T for task 0x{tag:X8} asks for bytes {pdu.BufferOffset}..{end} of a {state.DataOutLength}-byte write.",
                "R2TOutOfRange") { InitiatorTaskTag = tag };
        if (pdu.DesiredDataTransferLength > (uint)c.Negotiated.MaxBurstLength)
            throw new IscsiProtocolException(
                $"R2T for task 0x{tag:X8} asks for {pdu.DesiredDataTransferLength} bytes, more than MaxBurstLength {c.Negotiated.MaxBurstLength}.",
                "R2TTooLong") { InitiatorTaskTag = tag };
        // A bidirectional command numbers its R2Ts together with its Data-In (RFC 7143 11.7.5): not checked here.
        if (state.ExpectedDataIn == 0 && pdu.R2TSn != state.NextR2TSn)
            throw new IscsiProtocolException(
                $"R2T for task 0x{tag:X8} has R2TSN {pdu.R2TSn}; the next in order is {state.NextR2TSn}.", "R2TOutOfOrder") { InitiatorTaskTag = tag };
        int sent = Volatile.Read(ref state.DataOutSent);
        if (pdu.BufferOffset != (uint)sent)
            throw new IscsiProtocolException(
                pdu.BufferOffset < (uint)sent
                    ? $"R2T for task 0x{tag:X8} asks again for bytes {pdu.BufferOffset}..{end}, which were already sent (up to {sent}); at ERL 0 no byte is asked for twice."
                    : $"R2T for task 0x{tag:X8} asks for bytes {pdu.BufferOffset}..{end}, skipping bytes {sent}..{pdu.BufferOffset} (DataSequenceInOrder=Yes).",
                "R2TOutOfOrder") { InitiatorTaskTag = tag };
    }

    /*  NOP-In (RFC 7143 11.19): the answer to our ping, or the target's own ping that we must echo.  */
    private async ValueTask OnNopInAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        NopIn.TryRead(c.Reader.Header, out var pdu);
        Interlocked.Increment(ref _counters.NopInReceived);
        using var data = await c.Reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, pdu.InitiatorTaskTag != ReservedTag, pdu.ExpCmdSn, pdu.MaxCmdSn);
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
        {
            // The echo is limited to what the target accepts in one PDU (RFC 7143 11.18.5 limits reflected ping data
            // to MaxRecvDataSegmentLength): a bigger NOP-In must not make us send more than the target may receive.
            int echo = Math.Min(data.Length, c.Negotiated.TargetMaxRecvDataSegmentLength);
            AnswerTargetPing(c, pdu.Lun, pdu.TargetTransferTag, data.Span[..echo].ToArray());
        }
    }

    private void AnswerTargetPing(SessionConnection c, ulong lun, uint targetTransferTag, byte[] data)
        // Queuing never blocks, so the receive loop answers at once.
        => TryQueueImmediate(c, null, (c, bhs) => new NopOut
        {
            Immediate = true, Lun = lun, InitiatorTaskTag = ReservedTag, TargetTransferTag = targetTransferTag,
            CmdSn = c.Window.NextCmdSn, ExpStatSn = c.Window.ExpStatSn, DataSegmentLength = data.Length,
        }.WriteTo(bhs), data);

    private async ValueTask OnTaskManagementResponseAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        TaskManagementResponse.TryRead(c.Reader.Header, out var pdu);
        await c.Reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
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

    private async ValueTask OnTextResponseAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        TextResponse.TryRead(c.Reader.Header, out var pdu);
        using var data = await c.Reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        if (Find<PendingText>(pdu.InitiatorTaskTag) is not { } pending)
        {
            EnsureKnownOrAbandoned(pdu.InitiatorTaskTag, "a Text Response");
            return;
        }
        pending.Response.TrySetResult((pdu, data.Span.ToArray()));
    }

    /// <summary>True when this confirmed our logout: nothing more will come on this connection.</summary>
    private async ValueTask<bool> OnLogoutResponseAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        LogoutResponse.TryRead(c.Reader.Header, out var pdu);
        await c.Reader.SkipSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        if (Find<PendingLogout>(pdu.InitiatorTaskTag) is not { } pending) return false;
        Unregister(pending);
        pending.Response.TrySetResult(pdu);
        return true;
    }

    /*  Asynchronous Message (RFC 7143 11.9).  */
    private async ValueTask OnAsyncMessageAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        Pdu.AsyncMessage.TryRead(c.Reader.Header, out var pdu);
        using var data = await c.Reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
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
                var eventSense = raw.Length > 0 ? SenseData.Parse(raw) : null;
                int eventLun = LunEncoding.Decode(pdu.Lun);
                if (UnitAttention.Is(eventSense)) NoteUnitAttention(eventLun, eventSense!, absorbedCdb: null);
                Raise(AsyncEvent, new ScsiAsyncEventArgs { Lun = eventLun, Sense = eventSense, RawSense = raw });
                break;
            case AsyncEventCode.DropConnection or AsyncEventCode.DropAllConnections:
                // Parameter2 is the DefaultTime2Wait for the reconnect this announces (RFC 7143 11.9.1).
                Volatile.Write(ref _announcedTime2Wait, pdu.Parameter2);
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
    private async ValueTask OnRejectAsync(SessionConnection c, int dsl, CancellationToken ct)
    {
        Reject.TryRead(c.Reader.Header, out var pdu);
        using var data = await c.Reader.ReadSegmentAsync(dsl, ct).ConfigureAwait(false);
        UpdateNumbers(c, pdu.StatSn, true, pdu.ExpCmdSn, pdu.MaxCmdSn);
        Interlocked.Increment(ref _counters.Rejects);
        if (data.Length < Bhs.Length) return;
        uint tag = Bhs.GetInitiatorTaskTag(data.Span);
        var rejectedOpcode = Bhs.GetOpcode(data.Span);
        PendingRequest? pending;
        lock (_pending) _pending.TryGetValue(tag, out pending);
        if (pending is null) return;
        Unregister(pending);
        pending.Fail(new IscsiProtocolException(
            $"The target rejected our {OpcodeNames.Describe(rejectedOpcode)} PDU (task 0x{tag:X8}): {RejectReasons.Describe(pdu.Reason)} (reason 0x{pdu.Reason:X2}).",
            "PduRejected"));
    }

}
