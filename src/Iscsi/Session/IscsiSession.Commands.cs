using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;

namespace Iscsi.Session;

public sealed partial class IscsiSession
{
    /// <summary>Runs a command to completion. A non-GOOD status is returned in the result, not thrown.
    /// Cancelling aborts the command on the wire (ABORT TASK) and throws <see cref="ScsiCommandAbortedException"/>
    /// carrying what had arrived; a timeout does the same and throws <see cref="IscsiTimeoutException"/>.</summary>
    public Task<ScsiResult> ExecuteAsync(ScsiCommand command, CancellationToken cancellationToken = default)
        => Start(command, cancellationToken).Completion;

    /// <summary>Starts a command and returns its task handle (for ABORT TASK) at once.</summary>
    public ScsiTask Start(ScsiCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (SessionType != SessionType.Normal)
            throw new IscsiArgumentException("DiscoverySessionNoCommands", "A discovery session cannot run SCSI commands.");
        var state = new ScsiCommandState(command);
        Register(state);
        Interlocked.Increment(ref _scsiInFlight);
        return new ScsiTask(this, command, state.InitiatorTaskTag, RunAsync(state, cancellationToken));
    }

    // Timeouts and cancellation cost nothing per command on the fast path: no linked token source and no
    // timer per command (both contend on shared locks at tens of thousands of I/Os per second). A session-wide
    // timer (ExpireOverdueCommands) interrupts commands past their deadline; a caller's token, if it can be
    // cancelled at all, is registered directly on the command.
    private async Task<ScsiResult> RunAsync(ScsiCommandState state, CancellationToken cancellationToken)
    {
        var timeout = state.Command.Timeout ?? _options.CommandTimeout;
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            state.Deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((ScsiCommandState)s!).Interrupt(CommandInterruption.Cancelled), state)
            : default;
        try
        {
            try
            {
                try
                {
                    await SendCommandAsync(state).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (state.Completion.Task.IsFaulted && state.Interruption == CommandInterruption.None)
                {
                    // Woken from the window wait because the session closed: the failure is in Completion.
                }
                return await state.Completion.Task.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CommandInterruptedException or OperationCanceledException && state.Interruption != CommandInterruption.None)
            {
                bool byCaller = state.Interruption == CommandInterruption.Cancelled;
                if (!byCaller) Interlocked.Increment(ref _counters.Timeouts);
                if (!state.Sent)
                {
                    // Never reached the wire (still waiting for the CmdSN window): nothing to abort.
                    Unregister(state);
                    if (byCaller)
                        throw new ScsiCommandAbortedException("The command was cancelled before it was sent.", PartialResult(state), cancellationToken);
                    throw TimeoutError(state, timeout, _state == SessionState.LoggedIn
                        ? "waiting for the target's command window to open"
                        : "waiting for the session to reconnect");
                }
                await AbortAfterCancelAsync(state).ConfigureAwait(false);
                if (byCaller)
                    throw new ScsiCommandAbortedException(
                        $"The command ({CdbName(state)}) was cancelled and aborted; {state.DataInReceived} bytes had arrived.",
                        PartialResult(state), cancellationToken);
                throw TimeoutError(state, timeout, "waiting for its completion; it was aborted");
            }
        }
        finally
        {
            registration.Dispose();
            Abandon(state); // no-op unless the target never confirmed the end of this command
            Interlocked.Decrement(ref _scsiInFlight);
            Interlocked.Increment(ref _counters.CommandsCompleted);
        }
    }

    /// <summary>Runs on the session's timer: interrupts every command past its deadline.</summary>
    private void ExpireOverdueCommands()
    {
        long now = Stopwatch.GetTimestamp();
        List<ScsiCommandState>? overdue = null;
        lock (_pending)
        {
            foreach (var p in _pending.Values)
                if (p is ScsiCommandState { Deadline: > 0 } s && s.Deadline < now && s.Interruption == CommandInterruption.None)
                    (overdue ??= []).Add(s);
        }
        if (overdue is null) return;
        foreach (var s in overdue) s.Interrupt(CommandInterruption.TimedOut);
    }

    private IscsiTimeoutException TimeoutError(ScsiCommandState state, TimeSpan timeout, string what)
        => new($"{CdbName(state)} to LUN {state.Command.Lun} on {TargetName} timed out after {timeout.TotalSeconds:0.###} s {what}.", timeout);

    private static string CdbName(ScsiCommandState state) => CdbInfo.Name(state.Cdb[0]);

    private ScsiResult PartialResult(ScsiCommandState state)
        => state.BuildResult(ScsiStatus.TaskAborted, 0, default, ResidualKind.None, 0, ResidualKind.None, 0);

    /// <summary>ABORT TASK for a command the caller gave up on, bounded so that a dead target cannot hang us.
    /// When the abort itself gets no answer, the task is escalated to a LOGICAL UNIT RESET (also bounded):
    /// a task the target neither finishes nor aborts must not stay allegiant to the LUN forever.</summary>
    private async Task AbortAfterCancelAsync(ScsiCommandState state)
    {
        if (!await TryTaskManagementAsync(TaskManagementFunction.AbortTask, state).ConfigureAwait(false) && _state == SessionState.LoggedIn)
        {
            Interlocked.Increment(ref _counters.Escalations);
            await TryTaskManagementAsync(TaskManagementFunction.LogicalUnitReset, null, state.Command.Lun).ConfigureAwait(false);
        }
        state.Fail(new ScsiCommandAbortedException("The command was aborted.", PartialResult(state)));
    }

    /// <summary>True when the target answered the function (whatever its response); false on timeout or failure.</summary>
    private async Task<bool> TryTaskManagementAsync(TaskManagementFunction function, ScsiCommandState? referenced, int? lun = null)
    {
        using var bound = new CancellationTokenSource(AbortTimeout);
        try
        {
            await TaskManagementAsync(function, lun ?? referenced!.Command.Lun, referenced, bound.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // Our bound fired before TaskManagementAsync's own timeout (which counts itself): count it here, so that
            // an unanswered abort is one more timeout whichever of the two equal timers won.
            Interlocked.Increment(ref _counters.Timeouts);
            return false;
        }
        catch (IscsiException)
        {
            return false;
        }
    }

    // How long an ABORT TASK (and the LUN RESET it may escalate to) may take: the command timeout, but at
    // least 1 s (a very short command timeout says nothing about how fast a loaded target answers a TMF) and
    // at most 10 s (a dead target must not hold the caller for another full command timeout).
    private TimeSpan AbortTimeout => TimeSpan.FromTicks(Math.Clamp(_options.CommandTimeout.Ticks, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    /// <summary>Sends the SCSI Command PDU with its immediate data, then any unsolicited Data-Out up to
    /// FirstBurstLength, on the session's current connection: waiting for a reconnect or for the CmdSN window
    /// when it must. Returns once queued; throws OperationCanceledException when the command was interrupted first.</summary>
    private async Task SendCommandAsync(ScsiCommandState state)
    {
        while (true)
        {
            // The interrupt token is only created when we have to wait: the common case allocates nothing.
            var c = _c;
            if (_state != SessionState.LoggedIn || !c.IsLive)
                c = await ConnectionAsync(state.InterruptToken).ConfigureAwait(false);
            switch (TryQueueCommand(c, state, waitedInLine: false))
            {
                case QueueAttempt.Queued:
                    return;
                case QueueAttempt.NotSendable:
                    throw new OperationCanceledException();
                case QueueAttempt.WindowClosed:
                    await SendInLineAsync(state).ConfigureAwait(false);
                    return;
                // ConnectionDead: loop; ConnectionAsync waits for the reconnect (or throws once the session closed).
            }
        }
    }

    /// <summary>The slow path, when the CmdSN window is closed: commands wait for it in arrival order (the gate is
    /// first come, first served), and while anyone waits, newcomers join the line instead of overtaking it.</summary>
    private async Task SendInLineAsync(ScsiCommandState state)
    {
        Interlocked.Increment(ref _waitingForWindow);
        try
        {
            await _windowLine.WaitAsync(state.InterruptToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    var c = _c;
                    if (_state != SessionState.LoggedIn || !c.IsLive)
                        c = await ConnectionAsync(state.InterruptToken).ConfigureAwait(false);
                    switch (TryQueueCommand(c, state, waitedInLine: true))
                    {
                        case QueueAttempt.Queued:
                            return;
                        case QueueAttempt.NotSendable:
                            throw new OperationCanceledException();
                        case QueueAttempt.WindowClosed:
                            await c.Window.WaitForChangeAsync(state.InterruptToken).ConfigureAwait(false);
                            break;
                    }
                }
            }
            finally
            {
                _windowLine.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waitingForWindow);
        }
    }

    private enum QueueAttempt { Queued, WindowClosed, ConnectionDead, NotSendable }

    /// <summary>One try at queuing the command on <paramref name="c"/>. The CmdSN is taken, the command marked sent
    /// and its PDUs queued under one lock: CmdSN order is queue order, and a command is never half-queued on a
    /// connection the session has already given up.</summary>
    private QueueAttempt TryQueueCommand(SessionConnection c, ScsiCommandState state, bool waitedInLine)
    {
        var command = state.Command;
        var negotiated = c.Negotiated;
        int dataOut = command.DataOut.Length;
        int immediate = 0, unsolicited = 0;
        if (dataOut > 0)
        {
            int firstBurst = Math.Min(dataOut, negotiated.FirstBurstLength);
            if (negotiated.ImmediateData)
                immediate = Math.Min(firstBurst, negotiated.TargetMaxRecvDataSegmentLength);
            if (!negotiated.InitialR2T)
                unsolicited = firstBurst - immediate;
        }

        lock (_sendSync)
        {
            if (!c.IsLive) return QueueAttempt.ConnectionDead;
            if (!waitedInLine && Volatile.Read(ref _waitingForWindow) > 0) return QueueAttempt.WindowClosed;
            uint cmdSn;
            lock (state.SendGate)
            {
                if (!state.MaySend) return QueueAttempt.NotSendable;
                if (!c.Window.TryTake(out cmdSn)) return c.Window.IsClosed ? QueueAttempt.ConnectionDead : QueueAttempt.WindowClosed;
                // From here on a cancellation must abort the command on the wire rather than forget it.
                state.Sent = true;
            }
            state.CmdSn = cmdSn;
            state.StartTimestamp = Stopwatch.GetTimestamp();
            new ScsiCommandRequest
            {
                Immediate = false,
                Final = unsolicited == 0,
                Read = state.ExpectedDataIn > 0,
                Write = dataOut > 0,
                Attribute = (byte)command.Attribute,
                DataSegmentLength = immediate,
                Lun = LunEncoding.Encode(command.Lun),
                InitiatorTaskTag = state.InitiatorTaskTag,
                // For a bidirectional command EDTL is the write length (RFC 7143 11.3.4); the read length goes in an AHS we do not send.
                ExpectedDataTransferLength = (uint)(dataOut > 0 ? dataOut : state.ExpectedDataIn),
                CmdSn = cmdSn,
                ExpStatSn = c.Window.ExpStatSn,
                Cdb = state.Cdb,
            }.WriteTo(_sendBhs);
            // Counted before the send: the response can arrive (and the result be built) before this thread goes on.
            state.DataOutSent = immediate;
            Interlocked.Increment(ref _counters.CommandsSent);
            try
            {
                QueueLocked(c, command.DataOut[..immediate]);
                if (unsolicited > 0)
                    QueueDataOutLocked(c, state, ReservedTag, immediate, unsolicited);
            }
            catch (IscsiConnectionException)
            {
                // The connection failed under us; its failure handler (waiting for this lock) decides what happens to
                // this command, which counts as sent: repeated after a reconnect if that is safe, failed otherwise.
            }
            return QueueAttempt.Queued;
        }
    }

    /// <summary>The session's connection once it is logged in: at once normally, after the reconnect while one is
    /// under way. Throws the session's failure once it is closed.</summary>
    private async ValueTask<SessionConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task reconnected;
            lock (_pending)
            {
                if (_state == SessionState.Closed) throw ClosedError();
                if (_state == SessionState.LoggedIn && _c.IsLive) return _c;
                // LoggedIn on a dead connection: its failure handler is about to switch the state.
                reconnected = _state == SessionState.Reconnecting ? _reconnected.Task : Task.Delay(1, cancellationToken);
            }
            await reconnected.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues the PDU in <see cref="_sendBhs"/> on <paramref name="c"/> (the caller holds the send lock);
    /// throws IscsiConnectionException once the connection can no longer send.</summary>
    private void QueueLocked(SessionConnection c, ReadOnlyMemory<byte> data)
        // Queued, not written: the send queue's flush loop writes it (with whatever else queued up meanwhile).
        => c.Queue.Enqueue(_sendBhs, data);

    /// <summary>Queues [offset, offset+length) of the command's Data-Out as one sequence of Data-Out PDUs,
    /// each no larger than the target's MaxRecvDataSegmentLength. The caller holds the send lock.</summary>
    private void QueueDataOutLocked(SessionConnection c, ScsiCommandState state, uint targetTransferTag, int offset, int length)
    {
        int maxPdu = c.Negotiated.TargetMaxRecvDataSegmentLength;
        uint dataSn = 0;
        ulong lun = LunEncoding.Encode(state.Command.Lun);
        while (length > 0)
        {
            int chunk = Math.Min(length, maxPdu);
            new DataOut
            {
                Final = chunk == length,
                Lun = lun,
                InitiatorTaskTag = state.InitiatorTaskTag,
                TargetTransferTag = targetTransferTag,
                ExpStatSn = c.Window.ExpStatSn,
                DataSn = dataSn++,
                BufferOffset = (uint)offset,
                DataSegmentLength = chunk,
            }.WriteTo(_sendBhs);
            state.DataOutSent += chunk; // before the send, as for immediate data
            Interlocked.Add(ref _counters.DataOutBytes, chunk);
            QueueLocked(c, state.Command.DataOut.Slice(offset, chunk));
            offset += chunk;
            length -= chunk;
        }
    }

    /// <summary>Answers an R2T. Queuing never blocks (the send queue writes on its own), so the receive loop does it
    /// itself: a full socket buffer cannot stop us reading.</summary>
    private void RespondToR2T(SessionConnection c, ScsiCommandState state, uint targetTransferTag, int offset, int length)
    {
        lock (_sendSync)
        {
            if (!c.IsLive) return; // the command's fate is decided by the connection's failure handler
            try
            {
                QueueDataOutLocked(c, state, targetTransferTag, offset, length);
            }
            catch (IscsiConnectionException)
            {
                // As in TryQueueCommand: the failure handler takes over.
            }
        }
    }

    /// <summary>Queues an immediate PDU (NOP-Out, TMF, Logout) built by <paramref name="build"/> into the send buffer,
    /// marking <paramref name="pending"/> sent; false when <paramref name="c"/> is already dead.</summary>
    private bool TryQueueImmediate(SessionConnection c, PendingRequest? pending, Action<SessionConnection, byte[]> build, ReadOnlyMemory<byte> data)
    {
        lock (_sendSync)
        {
            if (!c.IsLive) return false;
            build(c, _sendBhs);
            if (pending is not null) pending.Sent = true;
            try
            {
                QueueLocked(c, data);
            }
            catch (IscsiConnectionException)
            {
                // Failed connection: its handler fails or keeps the request (it counts as sent).
            }
            return true;
        }
    }
}
