using System.Diagnostics;
using System.Security.Cryptography;
using Iscsi.Discovery;
using Iscsi.Login;
using Iscsi.Pdu;
using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>
/// A logged-in iSCSI session over one connection. Thread-safe: any number of callers may run commands at
/// once; the target's CmdSN window bounds how many are in flight. One receive loop per connection
/// dispatches every incoming PDU by its Initiator Task Tag.
/// </summary>
public sealed partial class IscsiSession : IAsyncDisposable
{
    private const uint ReservedTag = 0xFFFFFFFF;

    private readonly IscsiSessionOptions _options;
    // Where the user pointed us: a reconnect logs in here again (following redirects afresh).
    private readonly string _portalHost;
    private readonly int _portalPort;
    private volatile SessionConnection _c;
    private volatile SessionState _state = SessionState.LoggedIn; // changed under lock (_pending)
    private readonly Dictionary<uint, PendingRequest> _pending = new();
    // Tags we stopped waiting for without the target confirming (a timed-out abort, a timed-out ping):
    // late PDUs for them are consumed quietly instead of being taken for a hostile target. Bounded.
    private readonly HashSet<uint> _abandoned = new();
    private readonly Queue<uint> _abandonedOrder = new();
    private const int MaxAbandoned = 4096;
    // Held while a PDU is built in _sendBhs and queued (never across an await): the CmdSN order of the queue is
    // the wire order, and no PDU is queued on a connection after it was declared dead (SessionConnection.IsLive).
    private readonly object _sendSync = new();
    private readonly byte[] _sendBhs = new byte[Bhs.Length];
    // Commands that found the CmdSN window closed wait here in arrival order (see SendInLineAsync).
    private readonly SemaphoreSlim _windowLine = new(1, 1);
    private int _waitingForWindow;
    // Cancelled by logout/dispose: stops a reconnect in progress.
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SessionCounters _counters = new();
    private readonly Timer _timeoutTimer;
    // Command timeouts are checked this often: their resolution, and the whole of their cost.
    private static readonly TimeSpan TimeoutScanPeriod = TimeSpan.FromMilliseconds(100);
    private uint _nextTag;
    private int _scsiInFlight;
    private Exception? _failure;

    private IscsiSession(LoginResult login, IscsiSessionOptions options, SessionType sessionType, string initiatorName,
        string? targetName, ulong isid, string portalHost, int portalPort)
    {
        _options = options;
        _portalHost = portalHost;
        _portalPort = portalPort;
        SessionType = sessionType;
        InitiatorName = initiatorName;
        TargetName = targetName ?? "";
        Isid = isid;
        _nextTag = (uint)RandomNumberGenerator.GetInt32(1, 0x1000);
        _c = Attach(1, login);
        _timeoutTimer = new Timer(static s => ((IscsiSession)s!).ExpireOverdueCommands(), this, TimeoutScanPeriod, TimeoutScanPeriod);
    }

    /// <summary>Wraps a logged-in transport into the session's current connection and starts reading it. A reconnect's
    /// connection starts closed to callers (<paramref name="open"/> false) until its LUs are checked.</summary>
    private SessionConnection Attach(int number, LoginResult login, bool open = true)
    {
        SessionConnection? connection = null;
        connection = new SessionConnection(number, login.Transport, login.Reader, login.Outcome, ex => OnConnectionFailed(connection!,
            new IscsiConnectionException($"Sending to {login.Transport.Host}:{login.Transport.Port} failed: {ex.Message}", "ConnectionLost", ex)))
        {
            Open = open,
        };
        _c = connection;
        connection.ReceiveLoop = OnOwnThread(() => ReceiveLoopAsync(connection), $"iSCSI receive {login.Transport.Host}:{login.Transport.Port}").Unwrap();
        return connection;
    }

    /// <summary>Starts <paramref name="work"/> on a thread of its own (unwrap the result). The connection's socket
    /// waits in poll on the calling thread (PolledSocketStream): the receive loop and the login exchange get a thread
    /// for that, so that no pool thread is parked in a wait.</summary>
    private static Task<TTask> OnOwnThread<TTask>(Func<TTask> work, string name) where TTask : Task
        => Task.Factory.StartNew(() =>
        {
            Thread.CurrentThread.Name = name;
            return work();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public SessionType SessionType { get; }
    public string TargetName { get; }
    public string InitiatorName { get; }
    /// <summary>The portal of the current connection (after any redirect).</summary>
    public string TargetHost => _c.Transport.Host;
    public int TargetPort => _c.Transport.Port;
    /// <summary>The ISID (48 bits); the same across reconnects (that is what makes them reinstatements).</summary>
    public ulong Isid { get; }
    /// <summary>The TSIH the target gave the current login (a reconnect gets a new one).</summary>
    public ushort Tsih => _c.Tsih;
    /// <summary>The parameters the current connection's login agreed.</summary>
    public NegotiatedParameters Negotiated => _c.Negotiated;
    public IscsiSessionOptions Options => _options.Clone();
    internal bool InlineCompletions => _options.InlineCompletions;
    public SessionState State => _state;
    /// <summary>Logged in now (not reconnecting, not closed).</summary>
    public bool IsConnected => _state == SessionState.LoggedIn;
    /// <summary>Logged in and nothing in flight (the seed's "is the session idle").</summary>
    public bool IsIdle { get { lock (_pending) return _state == SessionState.LoggedIn && _pending.Count == 0; } }
    /// <summary>SCSI commands started and not yet completed (including those waiting for the CmdSN window).</summary>
    public int InFlightCount => Volatile.Read(ref _scsiInFlight);
    /// <summary>Advice from the login (weak CHAP digest, short secrets, target quirks worked around). No secrets.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    /// <summary>What the login did that an admin may want to know but need not act on (a target quirk worked around).</summary>
    public IReadOnlyList<string> Notes { get; private set; } = [];

    /// <summary>Why the session closed, if it closed other than by logout.</summary>
    public Exception? Failure => _failure;

    public IscsiSessionStatistics Statistics => _counters.Snapshot(_c);

    /// <summary>A SCSI asynchronous event (AsyncEvent 0) reported by the target.</summary>
    public event EventHandler<ScsiAsyncEventArgs>? AsyncEvent;

    /// <summary>Any asynchronous message (logout request, dropped connection, vendor event...).</summary>
    public event EventHandler<IscsiAsyncMessageEventArgs>? AsyncMessageReceived;

    /// <summary>The connection was lost, a reconnect attempt starts, succeeded, or the session gave up. Raised in that
    /// order on a session thread (not the caller's): keep handlers short.</summary>
    public event EventHandler<SessionStateChangedEventArgs>? StateChanged;

    /// <summary>Connects, logs in (following redirects) and returns a session in full feature phase.</summary>
    public static Task<IscsiSession> ConnectAsync(string host, int port, string targetName,
        IscsiSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(targetName))
            throw new IscsiArgumentException("TargetNameEmpty", "The target name (IQN) is empty.");
        return OpenAsync(host, port, SessionType.Normal, targetName, options, cancellationToken);
    }

    internal static async Task<IscsiSession> OpenAsync(string host, int port, SessionType sessionType, string? targetName,
        IscsiSessionOptions? options, CancellationToken cancellationToken)
    {
        var o = (options ?? new IscsiSessionOptions()).Clone();
        o.Validate();
        string initiatorName = o.InitiatorName ?? InitiatorNames.Default();
        ulong isid = o.Isid ?? NewRandomIsid();

        var login = await LoginAsync(host, port, sessionType, targetName, o, initiatorName, isid, 0, cancellationToken).ConfigureAwait(false);
        var session = new IscsiSession(login, o, sessionType, initiatorName, targetName, isid, host, port)
        {
            Warnings = LoginWarnings.For(o, login.Outcome.Machine!.Negotiated),
            Notes = LoginWarnings.Notes(login.Sha256Dropped),
        };
        _ = session.LearnPortalsAsync(session._c);
        return session;
    }

    /// <summary>A finished login: the transport in full feature phase and what was agreed.</summary>
    private sealed record LoginResult(IscsiTransport Transport, PduReader Reader, LoginOutcome Outcome, bool Sha256Dropped);

    /// <summary>Connects and logs in with <paramref name="isid"/> and <paramref name="tsih"/> (0: a new session, or the
    /// reinstatement of the session with this ISID), following redirects.</summary>
    private static async Task<LoginResult> LoginAsync(string host, int port, SessionType sessionType, string? targetName,
        IscsiSessionOptions o, string initiatorName, ulong isid, ushort tsih, CancellationToken cancellationToken)
    {
        string currentHost = host;
        int currentPort = port;
        bool sha256Dropped = false;
        for (int redirects = 0; ; redirects++)
        {
            // Built first: it refuses impossible options (identical CHAP secrets, a bad target name...) before any socket exists.
            var machine = new LoginStateMachine(o, sessionType, initiatorName, targetName);
            var transport = await IscsiTransport.ConnectAsync(currentHost, currentPort, o.ConnectTimeout, cancellationToken)
                .ConfigureAwait(false);
            transport.ReceiveSpin = o.ReceiveSpin;
            var reader = new PduReader(transport.Receiver);
            LoginOutcome outcome;
            using (var loginTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                loginTimeout.CancelAfter(o.LoginTimeout);
                try
                {
                    var token = loginTimeout.Token;
                    outcome = await OnOwnThread(() => LoginExchange.RunAsync(transport, reader, machine, isid, tsih, 1, token),
                        $"iSCSI login {currentHost}:{currentPort}").Unwrap().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    throw new IscsiTimeoutException(
                        $"The target at {currentHost}:{currentPort} did not complete the login within {o.LoginTimeout.TotalSeconds:0.#} s.",
                        o.LoginTimeout);
                }
                catch (IOException ex)
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    throw new IscsiConnectionException(
                        $"The connection to {currentHost}:{currentPort} broke during login: {ex.Message}", "ConnectionLost", ex);
                }
                catch (IscsiLoginException ex) when (TgtdSha1Quirk.Applies(ex, machine, o))
                {
                    // See TgtdSha1Quirk: log in again without offering SHA-256.
                    await transport.DisposeAsync().ConfigureAwait(false);
                    o.ChapAlgorithms = TgtdSha1Quirk.Fallback;
                    sha256Dropped = true;
                    redirects--;
                    continue;
                }
                catch
                {
                    await transport.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
            if (outcome.RedirectAddress is null)
                return new LoginResult(transport, reader, outcome, sha256Dropped);

            await transport.DisposeAsync().ConfigureAwait(false);
            if (redirects >= o.MaxRedirects)
                throw new IscsiConnectionException(
                    $"The target redirected the login more than {o.MaxRedirects} times (last to '{TextSafety.Printable(outcome.RedirectAddress)}').",
                    "TooManyRedirects");
            var portal = PortalAddress.Parse(outcome.RedirectAddress, PortalAddress.DefaultPort);
            currentHost = portal.Address;
            currentPort = portal.Port;
        }
    }

    /// <summary>A random-format ISID (RFC 7143 11.12.5: T=11b, 24 random bits in B and C, qualifier D).</summary>
    private static ulong NewRandomIsid()
    {
        ulong random = (ulong)RandomNumberGenerator.GetInt32(0, 1 << 24);
        ulong qualifier = (ulong)RandomNumberGenerator.GetInt32(0, 1 << 16);
        return (0xC0UL << 40) | (random << 16) | qualifier;
    }

    private uint NewTag()
    {
        while (true)
        {
            uint tag = Interlocked.Increment(ref _nextTag);
            if (tag == ReservedTag || tag == 0) continue;
            return tag;
        }
    }

    private void Register(PendingRequest request)
    {
        lock (_pending)
        {
            if (_state == SessionState.Closed) throw ClosedError();
            request.InitiatorTaskTag = NewTag();
            while (_pending.ContainsKey(request.InitiatorTaskTag)) request.InitiatorTaskTag = NewTag();
            _pending.Add(request.InitiatorTaskTag, request);
        }
    }

    private T? Find<T>(uint tag) where T : PendingRequest
    {
        lock (_pending) return _pending.TryGetValue(tag, out var p) ? p as T : null;
    }

    private void Unregister(PendingRequest request)
    {
        lock (_pending)
        {
            if (_pending.TryGetValue(request.InitiatorTaskTag, out var p) && ReferenceEquals(p, request))
                _pending.Remove(request.InitiatorTaskTag);
        }
    }

    /// <summary>Stops waiting for a request that may still be answered: it leaves the table, and its tag is
    /// remembered so that a late answer is dropped rather than treated as a protocol violation.</summary>
    private void Abandon(PendingRequest request)
    {
        lock (_pending)
        {
            if (!_pending.TryGetValue(request.InitiatorTaskTag, out var p) || !ReferenceEquals(p, request)) return;
            _pending.Remove(request.InitiatorTaskTag);
            RememberAbandoned(request.InitiatorTaskTag);
        }
    }

    /// <summary>Remembers a tag whose late PDUs are to be dropped (bounded: the oldest are forgotten).</summary>
    private void RememberAbandoned(uint tag)
    {
        lock (_pending)
        {
            if (!_abandoned.Add(tag)) return;
            _abandonedOrder.Enqueue(tag);
            if (_abandonedOrder.Count > MaxAbandoned) _abandoned.Remove(_abandonedOrder.Dequeue());
        }
    }

    private bool IsAbandoned(uint tag)
    {
        lock (_pending) return _abandoned.Contains(tag);
    }

    private IscsiException ClosedError() => _failure as IscsiException
        ?? new IscsiConnectionException(
            $"The session to {TargetName} at {TargetHost}:{TargetPort} is closed.", "SessionClosed", _failure);

    public override string ToString() => $"{TargetName} @ {TargetHost}:{TargetPort} (TSIH {Tsih})";
}
