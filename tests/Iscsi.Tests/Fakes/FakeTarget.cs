using System.Net;
using System.Net.Sockets;
using Iscsi.Pdu;
using Iscsi.Session;

namespace Iscsi.Tests.Fakes;

/// <summary>
/// A scripted iSCSI target on 127.0.0.1 for the behaviours a real target will not show on demand: every
/// accepted connection logs in (see <see cref="FakeLogin"/>), then each PDU it receives is recorded and handed
/// to <see cref="Script"/> (default: <see cref="FakeConnection.AnswerDefaultAsync"/>), which may answer with
/// anything, well-formed or not. It also checks the initiator's CmdSN discipline and lists what it saw wrong in
/// <see cref="Violations"/>. Dispose closes the listener and every connection.
/// </summary>
internal sealed class FakeTarget : IAsyncDisposable
{
    public const string TargetName = "iqn.2025-01.test.fake:disk";
    public const string InitiatorName = "iqn.2025-01.test.fake:initiator";
    public const string Host = "127.0.0.1";
    /// <summary>How long any wait in a fake-target test may last before it is a failure, not a hang.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FakeConnection> _connections = new();
    private readonly List<Task> _connectionTasks = new();
    private readonly List<ReceivedPdu> _received = new();
    private readonly List<string> _violations = new();
    private readonly Task _acceptLoop;
    private long _pdusSent;
    private volatile FakeScript? _script;

    public FakeTarget(FakeScript? script = null, FakeTargetSettings? settings = null)
    {
        _script = script;
        Settings = settings ?? new FakeTargetSettings();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }
    public FakeTargetSettings Settings { get; }
    /// <summary>May be swapped at any time; applies to the next PDU received.</summary>
    public FakeScript? Script { get => _script; set => _script = value; }

    public int ConnectionCount { get { lock (_connections) return _connections.Count; } }
    /// <summary>The most recently accepted connection.</summary>
    public FakeConnection Connection { get { lock (_connections) return _connections[^1]; } }
    public IReadOnlyList<ReceivedPdu> Received { get { lock (_received) return _received.ToArray(); } }
    /// <summary>Initiator misbehaviour seen (CmdSN out of sequence or beyond the window, bad digests) and script failures.</summary>
    public IReadOnlyList<string> Violations { get { lock (_violations) return _violations.ToArray(); } }
    /// <summary>Every PDU sent, login responses included (what the initiator's PdusReceived should count).</summary>
    public long PdusSent => Interlocked.Read(ref _pdusSent);

    /// <summary>Session options for this fake: short timeouts so that a broken test fails in seconds, and no reconnect
    /// (most fake tests look at what a lost connection does to the session; reconnect tests turn it on).</summary>
    public static IscsiSessionOptions Options(Action<IscsiSessionOptions>? adjust = null)
    {
        var options = new IscsiSessionOptions
        {
            InitiatorName = InitiatorName,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            LoginTimeout = TimeSpan.FromSeconds(5),
            CommandTimeout = TimeSpan.FromSeconds(5),
            ReconnectAttempts = 0,
            // Nothing the test did not ask for on the wire: no keepalive pings, no SendTargets after login.
            KeepaliveInterval = TimeSpan.Zero,
            LearnTargetPortals = false,
        };
        adjust?.Invoke(options);
        return options;
    }

    public Task<IscsiSession> ConnectAsync(IscsiSessionOptions? options = null) =>
        IscsiSession.ConnectAsync(Host, Port, TargetName, options ?? Options()).WaitAsync(Patience);

    /// <summary>The first PDU (already received or still to come) that matches; fails after <see cref="Patience"/>.</summary>
    public async Task<ReceivedPdu> WaitForAsync(Func<ReceivedPdu, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = Received.FirstOrDefault(match);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The fake target never received {what}; it received: {string.Join("; ", Received)}.");
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    public Task<ReceivedPdu> WaitForAsync(Opcode opcode) => WaitForAsync(p => p.Opcode == opcode, opcode.ToString());

    /// <summary>Polls <paramref name="condition"/> until true; fails after <see cref="Patience"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still not true after {Patience.TotalSeconds} s: {what}.");
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    internal void Record(ReceivedPdu pdu)
    {
        lock (_received) _received.Add(pdu);
    }

    internal void Violation(string text)
    {
        lock (_violations) _violations.Add(text);
    }

    internal void CountSent() => Interlocked.Increment(ref _pdusSent);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                client.NoDelay = true;
                lock (_connections)
                {
                    var connection = new FakeConnection(this, client, _connections.Count);
                    _connections.Add(connection);
                    _connectionTasks.Add(Task.Run(() => connection.RunAsync(_stop.Token)));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        FakeConnection[] connections;
        Task[] tasks;
        lock (_connections)
        {
            connections = _connections.ToArray();
            tasks = _connectionTasks.ToArray();
        }
        foreach (var c in connections) c.Close();
        try
        {
            await Task.WhenAll(tasks.Append(_acceptLoop)).WaitAsync(Patience).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Nothing more to do for a connection that will not stop: its socket is closed.
        }
        _stop.Dispose();
    }
}
