using System.Diagnostics;
using Iscsi.Login;
using Iscsi.Pdu;
using Iscsi.Scsi;

namespace Iscsi.Session;

public sealed partial class IscsiSession
{
    public Task<TaskManagementResult> AbortTaskAsync(ScsiTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!ReferenceEquals(task.Session, this))
            throw new IscsiArgumentException("TaskOfOtherSession", $"Task 0x{task.InitiatorTaskTag:X8} belongs to another session.");
        var state = Find<ScsiCommandState>(task.InitiatorTaskTag);
        if (state is null)
            return Task.FromResult(new TaskManagementResult
            {
                Function = TaskManagementFunction.AbortTask, Response = TaskManagementResponseCode.TaskDoesNotExist,
                Lun = task.Command.Lun, ReferencedTaskTag = task.InitiatorTaskTag,
            });
        return TaskManagementAsync(TaskManagementFunction.AbortTask, task.Command.Lun, state, cancellationToken);
    }

    public Task<TaskManagementResult> AbortTaskSetAsync(int lun, CancellationToken cancellationToken = default)
        => TaskManagementAsync(TaskManagementFunction.AbortTaskSet, lun, null, cancellationToken);
    public Task<TaskManagementResult> ClearTaskSetAsync(int lun, CancellationToken cancellationToken = default)
        => TaskManagementAsync(TaskManagementFunction.ClearTaskSet, lun, null, cancellationToken);
    public Task<TaskManagementResult> LunResetAsync(int lun, CancellationToken cancellationToken = default)
        => TaskManagementAsync(TaskManagementFunction.LogicalUnitReset, lun, null, cancellationToken);
    public Task<TaskManagementResult> TargetWarmResetAsync(CancellationToken cancellationToken = default)
        => TaskManagementAsync(TaskManagementFunction.TargetWarmReset, 0, null, cancellationToken);
    public Task<TaskManagementResult> TargetColdResetAsync(CancellationToken cancellationToken = default)
        => TaskManagementAsync(TaskManagementFunction.TargetColdReset, 0, null, cancellationToken);

    /// <summary>Sends one Task Management Function request (immediate) and waits for its response. When the
    /// function ends tasks (abort, clear, resets), the commands it ended fail with ScsiCommandAbortedException.</summary>
    private async Task<TaskManagementResult> TaskManagementAsync(TaskManagementFunction function, int lun,
        ScsiCommandState? referenced, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        if (SessionType != SessionType.Normal)
            throw new IscsiArgumentException("DiscoverySessionNoCommands", "A discovery session cannot send task management functions.");
        var pending = new PendingTaskManagement
        {
            StartTimestamp = Stopwatch.GetTimestamp(), Function = function, Lun = lun, Referenced = referenced,
        };
        Register(pending);
        try
        {
            while (true)
            {
                var c = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
                if (TryQueueImmediate(c, pending, (c, bhs) => new TaskManagementRequest
                    {
                        Immediate = true,
                        Function = (byte)function,
                        Lun = function is TaskManagementFunction.TargetWarmReset or TaskManagementFunction.TargetColdReset ? 0 : LunEncoding.Encode(lun),
                        InitiatorTaskTag = pending.InitiatorTaskTag,
                        ReferencedTaskTag = referenced?.InitiatorTaskTag ?? ReservedTag,
                        CmdSn = c.Window.NextCmdSn,
                        ExpStatSn = c.Window.ExpStatSn,
                        RefCmdSn = referenced?.CmdSn ?? 0,
                        ExpDataSn = 0,
                    }.WriteTo(bhs), ReadOnlyMemory<byte>.Empty))
                    break;
            }
            if (function == TaskManagementFunction.AbortTask) Interlocked.Increment(ref _counters.Aborts);

            // A caller's TMF gets at least the abort budget: after a very short command timeout it still deserves a second.
            var bound = limit ?? (_options.CommandTimeout > AbortBudget ? _options.CommandTimeout : AbortBudget);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(bound);
            byte response;
            try
            {
                response = await pending.Response.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _counters.Timeouts);
                throw new IscsiTimeoutException(
                    $"The target did not answer {function} for LUN {lun} within {bound.TotalSeconds:0.#} s.", bound);
            }
            var result = new TaskManagementResult
            {
                Function = function, Response = (TaskManagementResponseCode)response, Lun = lun,
                ReferencedTaskTag = referenced?.InitiatorTaskTag ?? ReservedTag,
                Duration = Stopwatch.GetElapsedTime(pending.StartTimestamp),
            };
            // The tasks it ended were failed by the receive loop when the response arrived (OnTaskManagementResponseAsync).
            return result;
        }
        finally
        {
            Abandon(pending);
        }
    }

    /// <summary>After a successful abort/clear/reset the target should send nothing more for the tasks it ended
    /// (RFC 7143 sends their responses before the TMF response). Called by the receive loop before it reads the
    /// next PDU, so that a response arriving after the TMF response cannot complete an ended task; the tags are
    /// remembered as abandoned so that such a late PDU is dropped rather than taken for a protocol violation.</summary>
    private void FailEndedTasks(TaskManagementFunction function, int lun, ScsiCommandState? referenced)
    {
        List<ScsiCommandState> ended = [];
        lock (_pending)
        {
            foreach (var p in _pending.Values)
            {
                if (p is not ScsiCommandState s || !s.Sent) continue;
                bool hit = function switch
                {
                    TaskManagementFunction.AbortTask => ReferenceEquals(s, referenced),
                    TaskManagementFunction.AbortTaskSet or TaskManagementFunction.ClearTaskSet or TaskManagementFunction.LogicalUnitReset
                        => s.Command.Lun == lun,
                    TaskManagementFunction.TargetWarmReset or TaskManagementFunction.TargetColdReset => true,
                    _ => false,
                };
                if (hit)
                {
                    s.Retain();
                    ended.Add(s);
                }
            }
            foreach (var s in ended) _pending.Remove(s.InitiatorTaskTag);
        }
        foreach (var s in ended) RememberAbandoned(s.InitiatorTaskTag);
        foreach (var s in ended)
            s.Fail(new ScsiCommandAbortedException(
                $"{CdbName(s)} to LUN {s.Command.Lun} was ended by {function}; {s.DataInReceived} bytes had arrived.", PartialResult(s)));
    }

    /// <summary>NOP-Out ping; returns the round-trip time. Bounded by CommandTimeout.</summary>
    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default) => PingCoreAsync(_options.CommandTimeout, cancellationToken);

    private async Task<TimeSpan> PingCoreAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var ping = new PendingPing();
        Register(ping);
        try
        {
            long sent;
            while (true)
            {
                var c = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
                sent = Stopwatch.GetTimestamp();
                if (TryQueueImmediate(c, ping, (c, bhs) => new NopOut
                    {
                        Immediate = true, Lun = 0, InitiatorTaskTag = ping.InitiatorTaskTag, TargetTransferTag = ReservedTag,
                        CmdSn = c.Window.NextCmdSn, ExpStatSn = c.Window.ExpStatSn, DataSegmentLength = 0,
                    }.WriteTo(bhs), ReadOnlyMemory<byte>.Empty))
                    break;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                long answered = await ping.Answered.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
                return Stopwatch.GetElapsedTime(sent, answered);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _counters.Timeouts);
                throw new IscsiTimeoutException(
                    $"{TargetName} at {TargetHost}:{TargetPort} did not answer a NOP-Out within {limit.TotalSeconds:0.#} s.", limit);
            }
        }
        finally
        {
            Abandon(ping);
        }
    }

    /// <summary>A Text request/response exchange (e.g. SendTargets), following continuations (C bit, F=0)
    /// until the target's final response. Returns the concatenated text.</summary>
    internal async Task<TextKeyValues> TextExchangeAsync(TextKeyValues keys, CancellationToken cancellationToken)
    {
        const int MaxTotalText = 1 << 20; // a SendTargets answer for thousands of targets, and no more
        var pending = new PendingText();
        Register(pending);
        try
        {
            var collected = new List<byte>();
            byte[] payload = keys.Encode();
            uint ttt = ReservedTag;
            for (int round = 0; ; round++)
            {
                if (round > 1024)
                    throw new IscsiProtocolException("The Text exchange did not finish after 1024 responses.", "TextNotConverging");
                pending.Reset();
                await QueueTextRequestAsync(pending, ttt, payload, cancellationToken).ConfigureAwait(false);

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.CommandTimeout);
                (TextResponse header, byte[] data) response;
                try
                {
                    response = await pending.Response.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new IscsiTimeoutException(
                        $"The target did not answer a Text request within {_options.CommandTimeout.TotalSeconds:0.#} s.", _options.CommandTimeout);
                }
                collected.AddRange(response.data);
                if (collected.Count > MaxTotalText)
                    throw new IscsiProtocolException($"The target's text response exceeds {MaxTotalText} bytes.", "TextResponseTooLong");
                if (response.header.Final && !response.header.Continue)
                {
                    Unregister(pending);
                    return TextKeyValues.Parse(collected.ToArray());
                }
                // More to come: ask for it with an empty request echoing the target's transfer tag.
                ttt = response.header.TargetTransferTag;
                payload = [];
            }
        }
        finally
        {
            Abandon(pending);
        }
    }

    /// <summary>Queues one non-immediate Text Request (it takes a CmdSN, so it may wait for the window).</summary>
    private async Task QueueTextRequestAsync(PendingText pending, uint ttt, byte[] payload, CancellationToken cancellationToken)
    {
        while (true)
        {
            var c = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
            bool queued = false;
            lock (_sendSync)
            {
                if (c.IsLive && c.Window.TryTake(out uint cmdSn))
                {
                    new TextRequest
                    {
                        Immediate = false, Final = true, Continue = false, Lun = 0, InitiatorTaskTag = pending.InitiatorTaskTag,
                        TargetTransferTag = ttt, CmdSn = cmdSn, ExpStatSn = c.Window.ExpStatSn, DataSegmentLength = payload.Length,
                    }.WriteTo(_sendBhs);
                    pending.Sent = true;
                    try { QueueLocked(c, payload); } catch (IscsiConnectionException) { /* the failure handler fails the request */ }
                    queued = true;
                }
            }
            if (queued) return;
            await c.Window.WaitForChangeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Logs the session out (waiting for commands in flight to finish first) and closes the connection.
    /// During a reconnect it stops trying and closes.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        var closed = new IscsiConnectionException($"The session to {TargetName} at {TargetHost}:{TargetPort} was logged out.", "SessionClosed");
        lock (_pending)
        {
            if (_state == SessionState.Closed) return;
            _loggingOut = true; // a connection lost from here on is not reconnected
        }
        if (_state == SessionState.Reconnecting)
        {
            Close(closed);
            return;
        }
        var pending = new PendingLogout();
        try
        {
            Register(pending);
        }
        catch (IscsiException)
        {
            return; // closed meanwhile
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var c = _c;
            if (TryQueueImmediate(c, pending, (c, bhs) => new LogoutRequest
                {
                    Immediate = true, ReasonCode = 0, InitiatorTaskTag = pending.InitiatorTaskTag, Cid = 0,
                    CmdSn = c.Window.NextCmdSn, ExpStatSn = c.Window.ExpStatSn,
                }.WriteTo(bhs), ReadOnlyMemory<byte>.Empty))
                await pending.Response.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IscsiException or OperationCanceledException)
        {
            // A target that does not confirm the logout is closed on anyway.
        }
        finally
        {
            Close(closed);
        }
    }

    /// <summary>Closes the session without a logout (or after one): waiters fail with <paramref name="reason"/>, a
    /// reconnect in progress stops.</summary>
    private void Close(IscsiException reason)
    {
        PendingRequest[] waiting;
        TaskCompletionSource? reconnected;
        lock (_pending)
        {
            if (_state == SessionState.Closed) return;
            reconnected = _state == SessionState.Reconnecting ? _reconnected : null;
            _state = SessionState.Closed;
            waiting = _pending.Values.ToArray();
            _pending.Clear();
        }
        _lifetime.Cancel();
        _timeoutTimer.Dispose();
        ShutDown(_c);
        reconnected?.TrySetResult();
        foreach (var p in waiting) p.Fail(reason);
    }

    /// <summary>Ends a connection for good: nothing more is queued on it, senders waiting for its window wake,
    /// its receive loop stops. Returns false if it was already ended.</summary>
    private bool ShutDown(SessionConnection c)
    {
        lock (_sendSync)
        {
            if (!c.IsLive) return false;
            c.IsLive = false;
        }
        c.Window.Close();
        c.Closing.Cancel();
        c.Transport.Abort();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await LogoutAsync().ConfigureAwait(false);
        try { await _reconnectTask.ConfigureAwait(false); } catch (Exception) { /* recorded in Failure */ }
        var c = _c;
        try { await c.ReceiveLoop.ConfigureAwait(false); } catch (Exception) { /* recorded in Failure */ }
        await c.Transport.DisposeAsync().ConfigureAwait(false);
    }
}
