using System.Diagnostics;
using Iscsi.Scsi;

namespace Iscsi.Session;

/*  Connection loss and ERL 0 session reinstatement (RFC 7143 6.3.5, 7.1.4).

    At error recovery level 0 a lost connection ends the session's tasks at the target; what the initiator can do
    is log in again with the same ISID and TSIH 0 (the target then ends the old session if it still holds it) and
    send again the commands it still owes its callers. Which ones it may send again is a SCSI question: a READ or a
    WRITE of the same blocks leaves the same result when repeated; COMPARE AND WRITE or a reservation does not
    (RepeatableCommands). Everything else that was in flight fails with the connection error, so that nothing is
    silently lost: a caller either gets a result from the target or an exception.

    1. OnConnectionFailed (any thread): the connection is shut so nothing more is queued on it; commands in flight
       are sorted into "send again" and "fail"; the session goes to Reconnecting (or Closed when reconnecting is
       off, the session is logging out, or it is a discovery session).
    2. ReconnectAsync (a background task): waits DefaultTime2Wait (or what the target's Drop Connection message
       said), logs in, backs off (doubling, at most 8 s) on failure, until ReconnectAttempts or ReconnectTimeout
       (default: Time2Wait + Time2Retain, how long the target keeps state for a returning initiator) run out. Login
       refusals that will not change by retrying (class 2: bad credentials, unknown target...) end it at once.
    3. Install: the new connection becomes current, waiting senders go on, and the commands to repeat are sent in
       their original CmdSN order. Or GiveUp: the session closes and every waiter fails with ReconnectFailed.  */
public sealed partial class IscsiSession
{
    private const int MaxDigestRepeats = 2;
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan MinReconnectDelay = TimeSpan.FromMilliseconds(250);
    // A connection that lasted this long ended an outage even if no command completed on it (an idle session).
    private static readonly TimeSpan LongLivedConnection = TimeSpan.FromMinutes(1);

    private TaskCompletionSource _reconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reconnectTask = Task.CompletedTask;
    private bool _loggingOut;               // under lock (_pending)
    private int _announcedTime2Wait = -1;   // from an Async Message "drop connection"; -1: none
    private int _attemptsCarried;           // attempts of an outage whose reconnect got nowhere (see MadeProgress)

    /// <summary>The connection is gone or cannot be trusted: reconnect, or close with <paramref name="failure"/>.</summary>
    private void OnConnectionFailed(SessionConnection c, IscsiException failure)
    {
        if (!ShutDown(c)) return;
        var repeat = new List<ScsiCommandState>();
        var fail = new List<PendingRequest>();
        bool reconnect;
        lock (_pending)
        {
            if (_state != SessionState.LoggedIn || !ReferenceEquals(c, _c)) return; // closing, or an old connection
            reconnect = _options.ReconnectAttempts > 0 && SessionType == SessionType.Normal && !_loggingOut;
            foreach (var p in _pending.Values)
            {
                (p as ScsiCommandState)?.Retain(); // referenced by the lists below, beyond the command's end
                if (!reconnect || (p.Sent && p is not ScsiCommandState)) fail.Add(p);
                else if (p is ScsiCommandState s && s.Sent)
                {
                    if (s.Interruption == CommandInterruption.None && s.Command.IsRepeatable)
                    {
                        repeat.Add(s);
                        s.Sent = false; // an interruption from now on finds it unsent: nothing to abort
                    }
                    else fail.Add(s);
                }
                // Not sent yet: its sender waits for the next connection.
            }
            foreach (var p in fail) _pending.Remove(p.InitiatorTaskTag);
            if (reconnect)
            {
                _state = SessionState.Reconnecting;
                _reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (c.MadeProgress || Stopwatch.GetElapsedTime(c.EstablishedTimestamp) > LongLivedConnection) _attemptsCarried = 0;
            }
            else
            {
                _state = SessionState.Closed;
                _failure ??= failure;
            }
        }
        Interlocked.Increment(ref _counters.ConnectionLosses);
        if (!reconnect)
        {
            _timeoutTimer.Dispose();
            foreach (var p in fail) p.Fail(failure);
            return;
        }
        foreach (var p in fail)
            p.Fail(p is ScsiCommandState s
                ? new IscsiConnectionException(
                    $"{failure.Message} {CdbName(s)} to LUN {s.Command.Lun} was in flight and is not safe to repeat, so it was not sent again; whether it ran is unknown.",
                    "ConnectionLost", failure)
                : failure);
        RaiseStateChanged(SessionState.Reconnecting, 0, TimeSpan.Zero, TimeSpan.Zero,
            failure is IscsiConnectionException ? failure.Message : $"The connection to {c.Transport.Host}:{c.Transport.Port} was dropped: {failure.Message}",
            repeat.Count, fail.Count, failure);
        _reconnectTask = Task.Run(() => ReconnectAsync(c, failure, repeat));
    }

    private async Task ReconnectAsync(SessionConnection lost, IscsiException cause, List<ScsiCommandState> repeat)
    {
        // The lost connection's receive loop may be finishing a PDU for a command we are about to repeat.
        try { await lost.ReceiveLoop.ConfigureAwait(false); } catch (Exception) { /* it reported through OnConnectionFailed */ }

        long started = Stopwatch.GetTimestamp();
        var negotiated = lost.Negotiated;
        int announced = Interlocked.Exchange(ref _announcedTime2Wait, -1);
        var delay = TimeSpan.FromSeconds(announced >= 0 ? announced : negotiated.DefaultTime2Wait);
        var budget = _options.ReconnectTimeout ?? TimeSpan.FromSeconds(negotiated.DefaultTime2Wait + negotiated.DefaultTime2Retain);
        if (budget < MinReconnectDelay) budget = MinReconnectDelay;
        int firstAttempt = _attemptsCarried + 1;
        int maxAttempts = _options.ReconnectAttempts;
        Exception last = firstAttempt > maxAttempts
            ? new IscsiConnectionException(
                $"each of the last {maxAttempts} logins lost its connection again before any command completed ({cause.Message})", "ConnectionLost", cause)
            : cause;
        int attempt = firstAttempt;
        for (; attempt <= maxAttempts; attempt++)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed + delay > budget)
            {
                if (attempt > firstAttempt) break;
                delay = budget - elapsed; // a Time2Wait longer than the whole budget still gets one attempt at its end
            }
            RaiseStateChanged(SessionState.Reconnecting, attempt, delay, elapsed,
                $"Logging in to {TargetName} at {_portalHost}:{_portalPort} again in {delay.TotalSeconds:0.###} s (attempt {attempt} of {maxAttempts}).",
                repeat.Count, 0, last);
            try
            {
                await Task.Delay(delay, _lifetime.Token).ConfigureAwait(false);
                var login = await LoginAsync(_portalHost, _portalPort, SessionType, TargetName, _options, InitiatorName, Isid, 0, _lifetime.Token)
                    .ConfigureAwait(false);
                if (!await InstallAsync(lost, login, repeat, attempt, started).ConfigureAwait(false))
                    await login.Transport.DisposeAsync().ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return; // logged out or disposed meanwhile: Close has failed every waiter
            }
            catch (Exception ex)
            {
                // Whatever went wrong (a refusal, a timeout, a socket error) is this attempt's failure: the loop must end
                // in Install or GiveUp, never leave the session Reconnecting.
                last = ex is IscsiException ? ex : new IscsiConnectionException($"Logging in again failed: {ex.Message}", "ConnectionLost", ex);
                Interlocked.Increment(ref _counters.ReconnectFailures);
                if (IsPermanent(ex)) { attempt++; break; }
            }
            delay = delay < MinReconnectDelay ? MinReconnectDelay : delay * 2;
            if (delay > MaxReconnectDelay) delay = MaxReconnectDelay;
        }
        GiveUp(cause, last, attempt - firstAttempt, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Refusals that another try will not change: the initiator's own errors (class 2: credentials, target
    /// name, session type...) and a target that failed mutual authentication. Busy targets (class 3) and network
    /// errors are worth retrying.</summary>
    private static bool IsPermanent(Exception ex) => ex switch
    {
        IscsiLoginException login => login.StatusClass == 2,
        IscsiAuthenticationException or IscsiArgumentException => true,
        _ => false,
    };

    /// <summary>Makes the fresh login the session's connection and sends again what was in flight. False when the
    /// session closed meanwhile (the caller then drops the new connection).</summary>
    private async Task<bool> InstallAsync(SessionConnection lost, LoginResult login, List<ScsiCommandState> repeat, int attempt, long started)
    {
        TaskCompletionSource reconnected;
        lock (_pending)
        {
            if (_state != SessionState.Reconnecting) return false;
            _counters.Retire(lost);
            Luns.ForgetAll(); // the LU that answers now may not be the one we knew
            Attach(lost.Number + 1, login);
            _state = SessionState.LoggedIn;
            _attemptsCarried = attempt; // forgotten as soon as a command completes on the new connection
            reconnected = _reconnected;
        }
        Interlocked.Increment(ref _counters.Reconnects);
        reconnected.TrySetResult(); // commands waiting for a connection go on
        var toRepeat = repeat.Where(s => s.MaySend).OrderBy(s => s.CmdSn, SerialComparer.Instance).ToList();
        RaiseStateChanged(SessionState.LoggedIn, attempt, TimeSpan.Zero, Stopwatch.GetElapsedTime(started),
            $"Logged in to {TargetName} at {TargetHost}:{TargetPort} again (TSIH {Tsih}); {toRepeat.Count} command(s) in flight are sent again.",
            toRepeat.Count, 0, null);

        // In their original CmdSN order. One that ended meanwhile (the old connection's last PDU completed it, or it
        // timed out or was cancelled) is skipped. If this connection fails too, those not yet sent wait here for the next.
        foreach (var state in toRepeat)
        {
            if (!state.MaySend) continue;
            state.ResetForRepeat();
            state.RepeatedAfterReconnect = true;
            Interlocked.Increment(ref _counters.CommandsRepeated);
            await SendSlowAsync(state).ConfigureAwait(false);
        }
        return true;
    }

    private void GiveUp(IscsiException cause, Exception last, int attempts, TimeSpan elapsed)
    {
        var failure = new IscsiConnectionException(
            $"The connection to {TargetName} at {_portalHost}:{_portalPort} was lost ({cause.Message}) and {attempts} attempt(s) to log in again " +
            $"over {elapsed.TotalSeconds:0.#} s failed; the last: {last.Message}", "ReconnectFailed", last);
        PendingRequest[] waiting;
        TaskCompletionSource reconnected;
        lock (_pending)
        {
            if (_state != SessionState.Reconnecting) return;
            _state = SessionState.Closed;
            _failure = failure;
            waiting = _pending.Values.ToArray();
            _pending.Clear();
            reconnected = _reconnected;
        }
        _timeoutTimer.Dispose();
        reconnected.TrySetResult(); // waiters find the session closed
        foreach (var p in waiting) p.Fail(failure);
        RaiseStateChanged(SessionState.Closed, attempts, TimeSpan.Zero, elapsed, failure.Message, 0, waiting.Length, failure);
    }

    /// <summary>Sends a command again off the receive loop (after a data digest error).</summary>
    private void RepeatInBackground(ScsiCommandState state)
        => ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.session.SendSlowAsync(s.state), (session: this, state), preferLocal: false);

    /// <summary>Raised synchronously, in order, on the thread that handles the loss or runs the reconnect (both off
    /// every caller's path): subscribers see Reconnecting, attempts, then LoggedIn or Closed in that order.</summary>
    private void RaiseStateChanged(SessionState state, int attempt, TimeSpan delay, TimeSpan elapsed, string message,
        int repeated, int failed, Exception? error)
    {
        var handler = StateChanged;
        if (handler is null) return;
        try
        {
            handler(this, new SessionStateChangedEventArgs
            {
                State = state, Attempt = attempt, MaxAttempts = _options.ReconnectAttempts, Delay = delay, Elapsed = elapsed,
                Message = message, CommandsRepeated = repeated, CommandsFailed = failed, Error = error,
            });
        }
        catch (Exception)
        {
            // A subscriber's bug is not the session's.
        }
    }

    /// <summary>Orders CmdSNs as RFC 1982 serial numbers (they wrap).</summary>
    private sealed class SerialComparer : IComparer<uint>
    {
        public static readonly SerialComparer Instance = new();
        public int Compare(uint x, uint y) => x == y ? 0 : Pdu.Serial.LessThan(x, y) ? -1 : 1;
    }
}
