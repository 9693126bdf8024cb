using System.Diagnostics;
using Iscsi.Discovery;
using Iscsi.Scsi;

namespace Iscsi.Session;

/*  Connection loss and ERL 0 session reinstatement (RFC 7143 6.3.5, 7.1.4).

    At error recovery level 0 a lost connection ends the session's tasks at the target; what the initiator can do
    is log in again with the same ISID and TSIH 0 (the target then ends the old session if it still holds it) and
    send again the commands it still owes its callers. Which ones it may send again is a SCSI question: a READ or a
    WRITE of the same blocks leaves the same result when repeated; COMPARE AND WRITE or a reservation does not
    (RepeatableCommands). Everything else that was in flight fails with the connection error, so that nothing is
    silently lost: a caller either gets a result from the target or an exception.

    A protocol violation is not a lost connection: the command whose own exchange broke the rules (the violation
    names its task tag) fails with the violation's ErrorId and is not sent again; when the violation names no
    command in flight, none of them is sent again (any of them may have caused it). A header digest error is
    damage on the way, not a violation: its commands are repeated like those of a lost connection.

    1. OnConnectionFailed (any thread): the connection is shut so nothing more is queued on it; commands in flight
       are sorted into "send again" and "fail"; the session goes to Reconnecting (or Closed when reconnecting is
       off, the session is logging out, or it is a discovery session).
    2. ReconnectAsync (a background task): waits DefaultTime2Wait (or what the target's Drop Connection message
       said), logs in, backs off (doubling, at most 8 s) on failure, trying the portal it was on and then the
       target's other portals in turn, until ReconnectTimeout (the outage budget, default 120 s, with a last attempt
       at its end) or ReconnectAttempts run out. Login refusals that will not change by retrying (class 2: bad
       credentials, unknown target...) end it at once.
    3. Install: the new connection becomes current; the LUs the session knew are checked to be the same ones
       (IscsiSession.LunIdentity.cs); waiting senders go on, and the commands to repeat are sent in their original
       CmdSN order. Or GiveUp: the session closes and every waiter fails with ReconnectFailed.  */
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
    // An outage whose reconnect got nowhere (the new connection failed before any command completed on it) goes
    // on: its start and its attempts carry into the next reconnect, so a target that drops every login cannot keep
    // the session alive past the budget.
    private long _outageStarted;            // Stopwatch timestamp; 0: no outage in progress
    private int _attemptsCarried;

    /// <summary>The connection is gone or cannot be trusted: reconnect, or close with <paramref name="failure"/>.</summary>
    private void OnConnectionFailed(SessionConnection c, IscsiException failure)
    {
        if (!ShutDown(c)) return;
        var repeat = new List<ScsiCommandState>();
        var fail = new List<PendingRequest>();
        bool reconnect;
        var violation = AsViolation(failure);
        lock (_pending)
        {
            if (_state != SessionState.LoggedIn || !ReferenceEquals(c, _c)) return; // closing, or an old connection
            reconnect = _options.ReconnectAttempts is not 0 && SessionType == SessionType.Normal && !_loggingOut;
            var culprit = violation?.InitiatorTaskTag is { } tag && _pending.TryGetValue(tag, out var p0) ? p0 : null;
            foreach (var p in _pending.Values)
            {
                (p as ScsiCommandState)?.Retain(); // referenced by the lists below, beyond the command's end
                if (!reconnect || (p.Sent && p is not ScsiCommandState)) fail.Add(p);
                else if (p is ScsiCommandState s && s.Sent)
                {
                    bool mayRepeat = s.Interruption == CommandInterruption.None && s.Command.IsRepeatable
                        && (violation is null || (culprit is not null && !ReferenceEquals(s, culprit)));
                    if (mayRepeat)
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
                // A connection lost while its LUs were being checked (not open yet): senders still wait on the same signal.
                if (_reconnected.Task.IsCompleted) _reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_outageStarted == 0 || c.MadeProgress || Stopwatch.GetElapsedTime(c.EstablishedTimestamp) > LongLivedConnection)
                {
                    _outageStarted = Stopwatch.GetTimestamp();
                    _attemptsCarried = 0;
                }
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
        foreach (var p in fail) p.Fail(p is ScsiCommandState s ? NotRepeatedError(s, failure, violation) : failure);
        RaiseStateChanged(SessionState.Reconnecting, 0, TimeSpan.Zero, TimeSpan.Zero,
            failure is IscsiConnectionException ? failure.Message : $"The connection to {c.Transport.Host}:{c.Transport.Port} was dropped: {failure.Message}",
            repeat.Count, fail.Count, failure);
        _reconnectTask = Task.Run(() => ReconnectAsync(c, failure, repeat));
    }

    /// <summary>The failure as a protocol violation, or null when it is a lost connection or damage on the way.</summary>
    private static IscsiProtocolException? AsViolation(IscsiException failure)
        => failure is IscsiProtocolException { ErrorId: not "HeaderDigestError" } violation ? violation : null;

    /// <summary>Why a command in flight was not sent again. A violation keeps its own ErrorId (scripts and exit codes
    /// see what the target did); a lost connection says the command was not safe to repeat.</summary>
    private IscsiException NotRepeatedError(ScsiCommandState s, IscsiException failure, IscsiProtocolException? violation)
    {
        string command = $"{CdbName(s)} to LUN {s.Command.Lun}";
        if (violation is not null)
            return violation.InitiatorTaskTag == s.InitiatorTaskTag
                ? violation
                : new IscsiProtocolException(
                    $"{violation.Message} {command} was in flight on that connection and was not sent again; whether it ran is unknown.",
                    violation.ErrorId, violation) { InitiatorTaskTag = violation.InitiatorTaskTag };
        return new IscsiConnectionException(
            $"{failure.Message} {command} was in flight and is not safe to repeat, so it was not sent again; whether it ran is unknown.",
            "ConnectionLost", failure);
    }

    private async Task ReconnectAsync(SessionConnection lost, IscsiException cause, List<ScsiCommandState> repeat)
    {
        // The lost connection's receive loop may be finishing a PDU for a command we are about to repeat.
        try { await lost.ReceiveLoop.ConfigureAwait(false); } catch (Exception) { /* it reported through OnConnectionFailed */ }

        long started;
        bool carried;
        lock (_pending)
        {
            started = _outageStarted;
            carried = _attemptsCarried > 0;
        }
        var budget = _options.ReconnectTimeout;
        int announced = Interlocked.Exchange(ref _announcedTime2Wait, -1);
        var delay = TimeSpan.FromSeconds(announced >= 0 ? announced : lost.Negotiated.DefaultTime2Wait);
        var portals = ReconnectPortals(lost);
        int made = 0;
        Exception last = cause;
        for (int attempt = _attemptsCarried + 1; ; attempt++)
        {
            if (_options.ReconnectAttempts is { } most && attempt > most) break;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= budget && (made > 0 || carried)) break; // an outage carried past its budget gets no new attempt
            if (elapsed + delay > budget) delay = budget - elapsed; // the last attempt comes at the end of the budget
            if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
            var portal = portals[(attempt - 1) % portals.Count];
            RaiseStateChanged(SessionState.Reconnecting, attempt, delay, elapsed,
                $"Logging in to {TargetName} at {portal.Address}:{portal.Port} again in {delay.TotalSeconds:0.###} s (attempt {attempt}{AttemptsOf()}, " +
                $"{Math.Max(0, (budget - elapsed).TotalSeconds):0} s of the {budget.TotalSeconds:0} s outage budget left).",
                repeat.Count, 0, last);
            try
            {
                await Task.Delay(delay, _lifetime.Token).ConfigureAwait(false);
                made++;
                var login = await LoginAsync(portal.Address, portal.Port, SessionType, TargetName, _options, InitiatorName, Isid, 0, _lifetime.Token)
                    .ConfigureAwait(false);
                lock (_pending) _attemptsCarried = attempt; // forgotten as soon as a command completes on the new connection
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
                if (IsPermanent(ex)) break;
            }
            delay = delay < MinReconnectDelay ? MinReconnectDelay : delay * 2;
            if (delay > MaxReconnectDelay) delay = MaxReconnectDelay;
        }
        GiveUp(cause, last, made, _attemptsCarried, Stopwatch.GetElapsedTime(started));
    }

    private string AttemptsOf() => _options.ReconnectAttempts is { } most ? $" of at most {most}" : "";

    /// <summary>Where to log in again, in order: the portal the lost connection was on, then the other portals of its
    /// portal group, then the target's other portals (given in the options, or learned by SendTargets after login).</summary>
    private List<TargetPortal> ReconnectPortals(SessionConnection lost)
    {
        var current = new TargetPortal(lost.Transport.Host, lost.Transport.Port, lost.Negotiated.TargetPortalGroupTag);
        var known = (_options.AlternatePortals ?? []).Concat(LearnedPortals);
        var others = known.Where(p => !SamePortal(p, current))
            .OrderBy(p => p.PortalGroupTag == current.PortalGroupTag ? 0 : 1)
            .DistinctBy(p => (p.Address.ToLowerInvariant(), p.Port));
        var portals = new List<TargetPortal> { current };
        portals.AddRange(others);
        if (!portals.Any(p => SamePortal(p, new TargetPortal(_portalHost, _portalPort, 0))))
            portals.Add(new TargetPortal(_portalHost, _portalPort, current.PortalGroupTag)); // where the user pointed us (before a redirect)
        return portals;
    }

    private static bool SamePortal(TargetPortal a, TargetPortal b)
        => a.Port == b.Port && string.Equals(a.Address, b.Address, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refusals that another try will not change: the initiator's own errors (class 2: credentials, target
    /// name, session type...) and a target that failed mutual authentication. Busy targets (class 3) and network
    /// errors are worth retrying.</summary>
    private static bool IsPermanent(Exception ex) => ex switch
    {
        IscsiLoginException login => login.StatusClass == 2,
        IscsiAuthenticationException or IscsiArgumentException or IscsiNegotiationException => true,
        _ => false,
    };

    /// <summary>Makes the fresh login the session's connection, checks its LUs, opens it to callers and sends again what
    /// was in flight. False when the session closed before the connection became its own (the caller drops it).</summary>
    private async Task<bool> InstallAsync(SessionConnection lost, LoginResult login, List<ScsiCommandState> repeat, int attempt, long started)
    {
        SessionConnection installed;
        lock (_pending)
        {
            if (_state != SessionState.Reconnecting) return false;
            _counters.Retire(lost);
            Luns.ForgetAll(); // capacities are asked again; identities stay, to be checked
            installed = Attach(lost.Number + 1, login, open: false);
            _state = SessionState.LoggedIn;
        }
        IReadOnlyList<int> changed = [];
        try
        {
            changed = await VerifyKnownLunsAsync(installed).ConfigureAwait(false);
        }
        catch (IscsiException)
        {
            // Failed on this connection: its failure handler has started the next reconnect, which checks again.
        }
        TaskCompletionSource? reconnected = null;
        lock (_pending)
        {
            if (_state == SessionState.Closed) return true; // logged out meanwhile: Close failed every waiter
            if (_state == SessionState.LoggedIn && ReferenceEquals(_c, installed) && installed.IsLive)
            {
                installed.Open = true;
                RestartPausedTimeoutsLocked();
                reconnected = _reconnected;
            }
        }
        foreach (var state in repeat.Where(s => Luns.ChangedIdentity(s.Command.Lun) is not null && s.MaySend))
        {
            Unregister(state);
            state.Fail(Luns.ChangedIdentity(state.Command.Lun)!);
        }
        var toRepeat = repeat.Where(s => s.MaySend).OrderBy(s => s.CmdSn, SerialComparer.Instance).ToList();
        if (reconnected is not null)
        {
            Interlocked.Increment(ref _counters.Reconnects);
            reconnected.TrySetResult(); // commands waiting for a connection go on
            RaiseStateChanged(SessionState.LoggedIn, attempt, TimeSpan.Zero, Stopwatch.GetElapsedTime(started),
                $"Logged in to {TargetName} at {TargetHost}:{TargetPort} again (TSIH {Tsih}); {toRepeat.Count} command(s) in flight are sent again" +
                (changed.Count > 0 ? $"; LUN {string.Join(", ", changed)} changed identity and take(s) no more commands." : "."),
                toRepeat.Count, 0, null);
            _ = LearnPortalsAsync(installed);
        }

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

    private void GiveUp(IscsiException cause, Exception last, int attempts, int carried, TimeSpan elapsed)
    {
        string tried = carried > 0
            ? $"{attempts} more attempt(s) to log in again (after {carried} whose connections failed before any command completed)"
            : $"{attempts} attempt(s) to log in again";
        var failure = new IscsiConnectionException(
            $"The connection to {TargetName} at {_portalHost}:{_portalPort} was lost ({cause.Message}) and {tried} " +
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
                State = state, Attempt = attempt, MaxAttempts = _options.ReconnectAttempts ?? 0, Delay = delay, Elapsed = elapsed,
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
