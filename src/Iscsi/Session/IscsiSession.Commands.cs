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
    {
        var state = NewCommandState(command);
        Launch(state, cancellationToken);
        return state.Completion.Task;
    }

    /// <summary>Starts a command and returns its task handle (for ABORT TASK) at once.</summary>
    public ScsiTask Start(ScsiCommand command, CancellationToken cancellationToken = default)
    {
        var state = NewCommandState(command);
        Launch(state, cancellationToken);
        return new ScsiTask(this, command, state.InitiatorTaskTag, state.Completion.Task);
    }

    private TaskCommandState NewCommandState(ScsiCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new TaskCommandState(command, this);
    }

    /*  A command's life, and why it has no async method of its own.
        The common case, at tens of thousands of commands per second, is: register, queue the PDU on the calling
        thread, and let the receive loop complete the command's TaskCompletionSource. No async state machine, no
        linked token source and no timer per command (each would cost an allocation or a shared lock per I/O).
        Everything else happens off that path:
        - the CmdSN window is closed or the session is reconnecting: SendSlowAsync waits and sends;
        - the session timer (ExpireOverdueCommands) or the caller's token interrupts the command: the interruption
          claims the command (ScsiCommandState.Interrupt) and HandleInterruptionAsync aborts it on the wire if it
          was sent, then fails it with the timeout or cancellation;
        - the connection is lost: the reconnect logic repeats it or fails it.
        Whichever path ends the command runs OnCommandFinished once, before the caller's continuation can run.  */
    internal void Launch(ScsiCommandState state, CancellationToken cancellationToken)
    {
        if (SessionType != SessionType.Normal)
            throw new IscsiArgumentException("DiscoverySessionNoCommands", "A discovery session cannot run SCSI commands.");
        if (Luns.ChangedIdentity(state.Command.Lun) is { } changed) throw changed;
        state.Timeout = state.Command.Timeout ?? _options.CommandTimeout;
        state.TimeoutPausesForReconnect = state.Command.Timeout is null;
        state.CancellationToken = cancellationToken;
        if (state.Timeout > TimeSpan.Zero && state.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            state.Deadline = Stopwatch.GetTimestamp() + (long)(state.Timeout.TotalSeconds * Stopwatch.Frequency);
        Register(state);
        Interlocked.Increment(ref _scsiInFlight);
        if (cancellationToken.CanBeCanceled)
        {
            // The callback may run after the command ended (Unregister does not wait for it).
            state.Retain();
            state.Registration = cancellationToken.UnsafeRegister(static s => ((ScsiCommandState)s!).Interrupt(CommandInterruption.Cancelled), state);
        }
        Send(state);
    }

    /// <summary>Queues the command on the calling thread when the session is logged in and the window is open;
    /// otherwise waits in the background. Either way its outcome arrives through its Completion.</summary>
    private void Send(ScsiCommandState state)
    {
        var c = _c;
        if (_state == SessionState.LoggedIn && c.IsLive && c.Open)
        {
            var attempt = TryQueueCommand(c, state, waitedInLine: false);
            if (attempt is QueueAttempt.Queued or QueueAttempt.NotSendable) return; // NotSendable: its ending is under way
        }
        _ = SendSlowAsync(state);
    }

    private async Task SendSlowAsync(ScsiCommandState state)
    {
        state.Retain(); // this frame may still hold the state when the command has ended
        try
        {
            await SendCommandAsync(state).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Interrupted (HandleInterruptionAsync ends it) or failed meanwhile (already ended).
        }
        catch (IscsiException ex)
        {
            // The session closed while the command waited for it.
            Unregister(state);
            state.Fail(ex);
        }
    }

    /// <summary>Runs once per command, whichever path ended it, before its caller sees the outcome.</summary>
    internal void OnCommandFinished(ScsiCommandState state, bool answeredByTarget)
    {
        state.Registration.Unregister();
        if (!answeredByTarget) Abandon(state); // no-op unless the target never confirmed the end of this command
        Interlocked.Decrement(ref _scsiInFlight);
        Interlocked.Increment(ref _counters.CommandsCompleted);
    }

    /// <summary>Runs on the session's timer: interrupts every command past its deadline, and checks a silent connection.</summary>
    private void ExpireOverdueCommands()
    {
        CheckKeepalive();
        long now = Stopwatch.GetTimestamp();
        List<ScsiCommandState>? overdue = null;
        lock (_pending)
        {
            bool open = _state == SessionState.LoggedIn && _c.Open; // otherwise reconnecting: session timeouts pause
            foreach (var p in _pending.Values)
                if (p is ScsiCommandState { Deadline: > 0 } s && s.Deadline < now && s.Interruption == CommandInterruption.None
                    && (open || !s.TimeoutPausesForReconnect))
                {
                    s.Retain(); // it may still complete before Interrupt below: never reuse it for another command
                    (overdue ??= []).Add(s);
                }
        }
        if (overdue is null) return;
        foreach (var s in overdue) s.Interrupt(CommandInterruption.TimedOut);
    }

    /// <summary>Once a new connection is open: the commands on the session's timeout get all of it again (they are
    /// sent again, or for the first time, on this connection). The caller holds <see cref="_pending"/>.</summary>
    private void RestartPausedTimeoutsLocked()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (var p in _pending.Values)
            if (p is ScsiCommandState { Deadline: > 0, TimeoutPausesForReconnect: true } s)
                s.Deadline = now + (long)(s.Timeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Called by <see cref="ScsiCommandState.Interrupt"/> (on the timer's thread, or inside the caller's
    /// CancellationTokenSource.Cancel): the abort runs on the thread pool.</summary>
    internal void OnInterrupted(ScsiCommandState state)
        => ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.session.HandleInterruptionAsync(s.state), (session: this, state), preferLocal: false);

    /// <summary>Ends an interrupted command: a command that never reached the wire simply fails; one that did is
    /// aborted first (ABORT TASK, escalating to LUN RESET), so that the target stops writing into the caller's buffer.</summary>
    private async Task HandleInterruptionAsync(ScsiCommandState state)
    {
        bool byCaller = state.Interruption == CommandInterruption.Cancelled;
        if (!byCaller) Interlocked.Increment(ref _counters.Timeouts);
        bool sent;
        lock (state.SendGate) sent = state.Sent; // Interrupt set the interruption under this lock: no send after it
        Exception error;
        if (!sent)
        {
            Unregister(state);
            error = byCaller
                ? new ScsiCommandAbortedException("The command was cancelled before it was sent.", PartialResult(state), state.CancellationToken)
                : TimeoutError(state, state.Timeout, _state == SessionState.LoggedIn
                    ? "waiting for the target's command window to open"
                    : "waiting for the session to reconnect");
        }
        else
        {
            string outcome;
            try
            {
                outcome = await AbortAfterCancelAsync(state).ConfigureAwait(false);
            }
            catch (Exception)
            {
                outcome = "the abort failed, so whether it ran is unknown";
            }
            error = byCaller
                ? new ScsiCommandAbortedException(
                    $"The command ({CdbName(state)}) was cancelled; {outcome}. {state.DataInReceived} bytes had arrived.",
                    PartialResult(state), state.CancellationToken)
                : TimeoutError(state, state.Timeout, $"waiting for its completion; {outcome}");
        }
        state.FinishInterrupted(error);
    }

    private IscsiTimeoutException TimeoutError(ScsiCommandState state, TimeSpan timeout, string what)
        => new($"{CdbName(state)} to LUN {state.Command.Lun} on {TargetName} timed out after {timeout.TotalSeconds:0.###} s {what}.", timeout);

    private static string CdbName(ScsiCommandState state) => CdbInfo.Name(state.Cdb[0]);

    private ScsiResult PartialResult(ScsiCommandState state)
        => state.BuildResult(ScsiStatus.TaskAborted, 0, default, ResidualKind.None, 0, ResidualKind.None, 0);

    /// <summary>ABORT TASK for a command the caller gave up on, bounded so that a dead target cannot hang us: the abort
    /// and what it escalates to share <see cref="AbortBudget"/>, so the caller hears of the command at most
    /// CommandTimeout + AbortBudget after it was sent. When the abort gets no answer within half the budget, the task
    /// is escalated to a LOGICAL UNIT RESET (a task the target neither finishes nor aborts must not stay allegiant to the
    /// LUN forever); when that gets no answer either, the connection is dropped: a target that answers nothing on it
    /// (it may have lost the PDU framing) would make every later command wait out its timeout too, and at ERL 0 a lost
    /// connection ends the session's tasks at the target. The session then reconnects (or closes).
    /// Returns what became of the command, in words for the caller's message: only an abort the target confirmed
    /// says it did not complete; anything else leaves its outcome unknown (a write may have been executed).</summary>
    private async Task<string> AbortAfterCancelAsync(ScsiCommandState state)
    {
        var half = AbortBudget / 2;
        var abort = await TryTaskManagementAsync(TaskManagementFunction.AbortTask, state, half).ConfigureAwait(false);
        if (abort is { } a)
        {
            return a.Response switch
            {
                TaskManagementResponseCode.FunctionComplete => "the target confirmed ABORT TASK, so it did not complete",
                TaskManagementResponseCode.TaskDoesNotExist =>
                    "the target answered ABORT TASK with 'task does not exist' (it had finished or never received it), so whether it ran is unknown",
                _ => $"the target answered ABORT TASK with {a.Response}, so whether it ran is unknown",
            };
        }
        if (_state != SessionState.LoggedIn)
            return "the connection was lost before ABORT TASK was answered, so whether it ran is unknown";
        Interlocked.Increment(ref _counters.Escalations);
        var c = _c;
        var reset = await TryTaskManagementAsync(TaskManagementFunction.LogicalUnitReset, null, half, state.Command.Lun).ConfigureAwait(false);
        if (reset is { Response: TaskManagementResponseCode.FunctionComplete })
            return $"ABORT TASK went unanswered for {half.TotalSeconds:0.#} s and a LOGICAL UNIT RESET of LUN {state.Command.Lun} ended it, so it did not complete";
        if (reset is { } r)
            return $"ABORT TASK went unanswered for {half.TotalSeconds:0.#} s and the target answered LOGICAL UNIT RESET with {r.Response}, so whether it ran is unknown";
        if (_state == SessionState.LoggedIn && ReferenceEquals(c, _c))
            OnConnectionFailed(c, new IscsiConnectionException(
                $"{TargetName} at {c.Transport.Host}:{c.Transport.Port} answered neither ABORT TASK nor LOGICAL UNIT RESET for LUN {state.Command.Lun} within {AbortBudget.TotalSeconds:0.#} s; the connection was dropped.",
                "ConnectionLost"));
        return $"neither ABORT TASK nor LOGICAL UNIT RESET was answered within {AbortBudget.TotalSeconds:0.#} s, so the connection was dropped and whether it ran is unknown";
    }

    /// <summary>The target's answer to the function, or null when it gave none within <paramref name="limit"/> (or the
    /// connection failed meanwhile).</summary>
    private async Task<TaskManagementResult?> TryTaskManagementAsync(TaskManagementFunction function, ScsiCommandState? referenced,
        TimeSpan limit, int? lun = null)
    {
        using var bound = new CancellationTokenSource(limit);
        try
        {
            return await TaskManagementAsync(function, lun ?? referenced!.Command.Lun, referenced, bound.Token, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _counters.Timeouts);
            return null;
        }
        catch (IscsiTimeoutException)
        {
            return null;
        }
        catch (IscsiException)
        {
            return null;
        }
    }

    // How long the abort of a timed-out or cancelled command may take in all (ABORT TASK, then LUN RESET, half each):
    // the command timeout, but at least 1 s (a very short command timeout says nothing about how fast a loaded target
    // answers a TMF) and at most 10 s (a dead target must not hold the caller for another full command timeout).
    private TimeSpan AbortBudget => TimeSpan.FromTicks(Math.Clamp(_options.CommandTimeout.Ticks, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    /// <summary>Sends the SCSI Command PDU with its immediate data, then any unsolicited Data-Out up to
    /// FirstBurstLength, on the session's current connection: waiting for a reconnect or for the CmdSN window
    /// when it must. Returns once queued; throws OperationCanceledException when the command was interrupted first.</summary>
    private async Task SendCommandAsync(ScsiCommandState state)
    {
        while (true)
        {
            // The interrupt token is only created when we have to wait: the common case allocates nothing.
            var c = _c;
            if (_state != SessionState.LoggedIn || !c.IsLive || !c.Open)
                c = await ConnectionForAsync(state).ConfigureAwait(false);
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
                    if (_state != SessionState.LoggedIn || !c.IsLive || !c.Open)
                        c = await ConnectionForAsync(state).ConfigureAwait(false);
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

        bool flushHere = false;
        try
        {
            return TryQueueCommandLocked(c, state, waitedInLine, dataOut, immediate, unsolicited, ref flushHere);
        }
        finally
        {
            // After the send lock is released (and even if queuing threw after the first PDU): the write, which
            // usually completes at once, happens on this thread; or, from a continuation the receive loop runs
            // inline, together with the others of its burst once the loop has read what is buffered.
            if (flushHere) c.StartFlush(onReceiveLoop: c.IsCompletingHere);
        }
    }

    private QueueAttempt TryQueueCommandLocked(SessionConnection c, ScsiCommandState state, bool waitedInLine,
        int dataOut, int immediate, int unsolicited, ref bool flushHere)
    {
        var command = state.Command;
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
                flushHere = c.Queue.EnqueueDeferred(_sendBhs, command.DataOut[..immediate]);
                if (unsolicited > 0)
                    flushHere |= QueueDataOutLocked(c, state, ReservedTag, immediate, unsolicited);
            }
            catch (IscsiConnectionException)
            {
                // The connection failed under us; its failure handler (waiting for this lock) decides what happens to
                // this command, which counts as sent: repeated after a reconnect if that is safe, failed otherwise.
            }
            return QueueAttempt.Queued;
        }
    }

    /// <summary><see cref="ConnectionAsync"/> for a command that waited: a reconnect meanwhile may have found its LU
    /// changed (IscsiSession.LunIdentity.cs), and then it must not be sent.</summary>
    private async ValueTask<SessionConnection> ConnectionForAsync(ScsiCommandState state)
    {
        var c = await ConnectionAsync(state.InterruptToken).ConfigureAwait(false);
        if (Luns.ChangedIdentity(state.Command.Lun) is { } changed) throw changed;
        return c;
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
                if (_state == SessionState.LoggedIn && _c.IsLive && _c.Open) return _c;
                // LoggedIn on a dead connection: its failure handler is about to switch the state. A connection not open
                // yet is being checked after a reconnect, which ends by completing _reconnected.
                reconnected = _state == SessionState.Reconnecting || !_c.Open ? _reconnected.Task : Task.Delay(1, cancellationToken);
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
    /// each no larger than the target's MaxRecvDataSegmentLength. The caller holds the send lock, and when this
    /// returns true it starts the flush (<see cref="SendQueue.FlushHere"/>) once it has released that lock.</summary>
    private bool QueueDataOutLocked(SessionConnection c, ScsiCommandState state, uint targetTransferTag, int offset, int length)
    {
        bool startFlush = false;
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
            startFlush |= c.Queue.EnqueueDeferred(_sendBhs, state.Command.DataOut.Slice(offset, chunk));
            offset += chunk;
            length -= chunk;
        }
        return startFlush;
    }

    /// <summary>Answers an R2T from the receive loop. The Data-Out is queued, and the loop writes it once it has
    /// read what is buffered (<see cref="SessionConnection.FlushOwed"/>): the write never blocks (a full socket
    /// buffer makes it continue later, on a pool thread: PolledSocketStream), so the loop cannot be stopped from reading.</summary>
    /// <remarks>Why not let the thread pool write it, as before: each R2T then woke a pool thread, and the pool's
    /// workers spun (sched_yield under LowLevelLifoSemaphore.Wait) waiting for more. In a perf profile of 1 MiB
    /// writes, pool threads took 75% of the initiator's samples. Writing from the loop cut the CPU per 1 MiB write
    /// from 1.6-1.7 ms to 0.7-1.1 ms, and per 128 KiB write (QD32, inline completions) from 190 to 95 us.</remarks>
    private void RespondToR2T(SessionConnection c, ScsiCommandState state, uint targetTransferTag, int offset, int length)
    {
        lock (_sendSync)
        {
            if (!c.IsLive) return; // the command's fate is decided by the connection's failure handler
            try
            {
                if (QueueDataOutLocked(c, state, targetTransferTag, offset, length))
                    c.StartFlush(onReceiveLoop: true); // only records the debt: no write under the send lock
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
