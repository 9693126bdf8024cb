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

    private readonly IscsiTransport _transport;
    private readonly PduReader _reader;
    private readonly SequenceWindow _window;
    private readonly IscsiSessionOptions _options;
    private readonly Dictionary<uint, PendingRequest> _pending = new();
    // Tags we stopped waiting for without the target confirming (a timed-out abort, a timed-out ping):
    // late PDUs for them are consumed quietly instead of being taken for a hostile target. Bounded.
    private readonly HashSet<uint> _abandoned = new();
    private readonly Queue<uint> _abandonedOrder = new();
    private const int MaxAbandoned = 4096;
    private readonly SemaphoreSlim _commandGate = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly byte[] _sendBhs = new byte[Bhs.Length]; // owned by whoever holds the transport's send lock
    private readonly SessionCounters _counters = new();
    private readonly Task _receiveLoop;
    private readonly SendQueue _sendQueue;
    private readonly Timer _timeoutTimer;
    // Command timeouts are checked this often: their resolution, and the whole of their cost.
    private static readonly TimeSpan TimeoutScanPeriod = TimeSpan.FromMilliseconds(100);
    private uint _nextTag;
    private int _scsiInFlight;
    private volatile bool _connected = true;
    private Exception? _failure;

    private IscsiSession(IscsiTransport transport, PduReader reader, LoginOutcome outcome, IscsiSessionOptions options,
        SessionType sessionType, string initiatorName, string? targetName, ulong isid)
    {
        _transport = transport;
        _reader = reader;
        _options = options;
        SessionType = sessionType;
        InitiatorName = initiatorName;
        TargetName = targetName ?? "";
        Isid = isid;
        Tsih = outcome.Tsih;
        Negotiated = outcome.Machine!.Negotiated;
        _window = new SequenceWindow(outcome.ExpCmdSn, outcome.MaxCmdSn, outcome.ExpStatSn);

        // Digests and the data segment limit take effect with the first PDU after login.
        _transport.HeaderDigest = _reader.HeaderDigest = Negotiated.HeaderDigest;
        _transport.DataDigest = _reader.DataDigest = Negotiated.DataDigest;
        _sendQueue = _transport.StartQueue(ex => OnConnectionFailed(
            new IscsiConnectionException($"Sending to {_transport.Host}:{_transport.Port} failed: {ex.Message}", "ConnectionLost", ex)));
        _reader.MaxDataSegmentLength = Negotiated.MaxRecvDataSegmentLength;
        _nextTag = (uint)RandomNumberGenerator.GetInt32(1, 0x1000);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _timeoutTimer = new Timer(static s => ((IscsiSession)s!).ExpireOverdueCommands(), this, TimeoutScanPeriod, TimeoutScanPeriod);
    }

    public SessionType SessionType { get; }
    public string TargetName { get; }
    public string InitiatorName { get; }
    public string TargetHost => _transport.Host;
    public int TargetPort => _transport.Port;
    /// <summary>The ISID (48 bits).</summary>
    public ulong Isid { get; }
    public ushort Tsih { get; }
    public NegotiatedParameters Negotiated { get; }
    public IscsiSessionOptions Options => _options.Clone();
    public bool IsConnected => _connected;
    /// <summary>Logged in and nothing in flight (the seed's "is the session idle").</summary>
    public bool IsIdle { get { lock (_pending) return _connected && _pending.Count == 0; } }
    /// <summary>SCSI commands started and not yet completed (including those waiting for the CmdSN window).</summary>
    public int InFlightCount => Volatile.Read(ref _scsiInFlight);
    /// <summary>Advice from the login (weak CHAP digest, short secrets, target quirks worked around). No secrets.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>Why the connection ended, if it ended other than by logout.</summary>
    public Exception? Failure => _failure;

    public IscsiSessionStatistics Statistics => _counters.Snapshot(_transport, _reader);

    /// <summary>A SCSI asynchronous event (AsyncEvent 0) reported by the target.</summary>
    public event EventHandler<ScsiAsyncEventArgs>? AsyncEvent;

    /// <summary>Any asynchronous message (logout request, dropped connection, vendor event...).</summary>
    public event EventHandler<IscsiAsyncMessageEventArgs>? AsyncMessageReceived;

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
        string initiatorName = o.InitiatorName ?? InitiatorNames.Default();
        if (!InitiatorNames.IsValidName(initiatorName))
            throw new IscsiArgumentException("InitiatorNameInvalid",
                $"The initiator name '{initiatorName}' is not a valid iSCSI name (iqn., eui. or naa. form).");
        ulong isid = o.Isid ?? NewRandomIsid();

        string currentHost = host;
        int currentPort = port;
        bool sha256Dropped = false;
        for (int redirects = 0; ; redirects++)
        {
            var transport = await IscsiTransport.ConnectAsync(currentHost, currentPort, o.ConnectTimeout, cancellationToken)
                .ConfigureAwait(false);
            var reader = new PduReader(transport.Receiver);
            var machine = new LoginStateMachine(o, sessionType, initiatorName, targetName);
            LoginOutcome outcome;
            using (var loginTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                loginTimeout.CancelAfter(o.LoginTimeout);
                try
                {
                    outcome = await LoginExchange.RunAsync(transport, reader, machine, isid, 0, 1, loginTimeout.Token)
                        .ConfigureAwait(false);
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
            {
                var session = new IscsiSession(transport, reader, outcome, o, sessionType, initiatorName, targetName, isid);
                session.Warnings = LoginWarnings.For(o, session.Negotiated, sha256Dropped);
                return session;
            }

            await transport.DisposeAsync().ConfigureAwait(false);
            if (redirects >= o.MaxRedirects)
                throw new IscsiConnectionException(
                    $"The target redirected the login more than {o.MaxRedirects} times (last to '{outcome.RedirectAddress}').",
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
            if (!_connected) throw ClosedError();
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
