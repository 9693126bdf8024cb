using System.Diagnostics;

namespace Iscsi.Session;

/*  Idle keepalive (open-iscsi's noop_out_interval / noop_out_timeout): a connection on which nothing has arrived for
    KeepaliveInterval is checked with a NOP-Out ping; no answer within KeepaliveTimeout and the connection is taken
    for dead, which starts the reconnect. Without it, a path that died while the session was idle is found only when
    the next command times out. Driven by the session's 100 ms timer; silence is measured by the reader's PDU count,
    so the I/O path pays nothing for it.  */
public sealed partial class IscsiSession
{
    private SessionConnection? _keepaliveConnection; // timer thread only
    private long _keepaliveSeenPdus;                 // timer thread only
    private long _keepaliveQuietSince;               // timer thread only
    private int _keepaliveRunning;                   // 1 while a keepalive ping is out

    /// <summary>On the session timer: pings a connection that has been silent for KeepaliveInterval.</summary>
    private void CheckKeepalive()
    {
        if (!_options.KeepaliveEnabled || SessionType != SessionType.Normal) return;
        var c = _c;
        if (_state != SessionState.LoggedIn || !c.IsLive || !c.Open) return;
        long received = c.Reader.PdusReceived, now = Stopwatch.GetTimestamp();
        if (!ReferenceEquals(c, _keepaliveConnection) || received != _keepaliveSeenPdus)
        {
            _keepaliveConnection = c;
            _keepaliveSeenPdus = received;
            _keepaliveQuietSince = now;
            return;
        }
        if (Stopwatch.GetElapsedTime(_keepaliveQuietSince, now) < _options.KeepaliveInterval) return;
        if (Interlocked.Exchange(ref _keepaliveRunning, 1) == 1) return;
        _keepaliveQuietSince = now; // the next one after another quiet interval
        _ = KeepaliveAsync(c);
    }

    private async Task KeepaliveAsync(SessionConnection c)
    {
        try
        {
            await PingCoreAsync(_options.KeepaliveTimeout, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _counters.KeepalivePings);
        }
        catch (IscsiTimeoutException)
        {
            OnConnectionFailed(c, new IscsiConnectionException(
                $"{TargetName} at {c.Transport.Host}:{c.Transport.Port} did not answer a keepalive NOP-Out within {_options.KeepaliveTimeout.TotalSeconds:0.#} s " +
                $"after {_options.KeepaliveInterval.TotalSeconds:0.#} s of silence: the connection is taken for dead.", "ConnectionLost"));
        }
        catch (IscsiException)
        {
            // The connection or the session ended meanwhile: its own handler deals with that.
        }
        finally
        {
            Volatile.Write(ref _keepaliveRunning, 0);
        }
    }
}
