using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Iscsi.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy between an initiator and a target (e.g. the tgtd fixture) that injects faults on
/// command: drops, stalls, delays and single-bit flips aimed at one PDU's header or data segment. Connect the
/// initiator to <see cref="Host"/>:<see cref="Port"/>; every accepted connection (reconnects included) is
/// proxied to the target. Without rules it forwards every byte unchanged.
/// </summary>
/// <remarks>Nothing is random unless a rule asks for a random point, and then it draws from its own seed.
/// Disposing closes the listener and every connection and waits for all of the proxy's tasks.</remarks>
public sealed class FaultProxy : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = []; // armed on connections still to come
    private readonly List<FaultRule> _everyRule = []; // every rule added, for ClearFaults
    private readonly HashSet<ProxyConnection> _connections = [];
    private readonly ConcurrentDictionary<Task, byte> _connectionTasks = new();
    private readonly Task _acceptLoop;
    private long _accepted, _faults;
    private long _bytesToTarget, _bytesToInitiator, _pdusToTarget, _pdusToInitiator;
    private bool _disposed;

    public FaultProxy(string targetHost, int targetPort, FaultProxyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetPort, IPEndPoint.MaxPort);
        _targetHost = targetHost;
        _targetPort = targetPort;
        Options = options ?? new FaultProxyOptions();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>Where initiators connect: always the loopback address.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the proxy listens on (a free one chosen by the system).</summary>
    public int Port { get; }

    public FaultProxyOptions Options { get; }

    /// <summary>Connections accepted from initiators so far.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections being proxied now.</summary>
    public int ActiveConnections { get { lock (_gate) return _connections.Count; } }

    /// <summary>Times a rule acted (each delayed forward of a Delay rule counts).</summary>
    public long FaultsInjected => Interlocked.Read(ref _faults);

    /// <summary>Bytes forwarded in <paramref name="direction"/>, over all connections.</summary>
    public long BytesForwarded(ProxyDirection direction) => Interlocked.Read(
        ref direction == ProxyDirection.InitiatorToTarget ? ref _bytesToTarget : ref _bytesToInitiator);

    /// <summary>Whole PDUs forwarded in <paramref name="direction"/> (counted when their last byte is sent), over all connections.</summary>
    public long PdusForwarded(ProxyDirection direction) => Interlocked.Read(
        ref direction == ProxyDirection.InitiatorToTarget ? ref _pdusToTarget : ref _pdusToInitiator);

    /// <summary>Arms <paramref name="rule"/>: on every open connection and every later one
    /// (<see cref="FaultScope.AllConnections"/>), or on the next connection accepted only. Returns the rule.</summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            rule.MarkAdded();
            _rules.Add(rule);
            _everyRule.Add(rule);
            if (rule.Scope == FaultScope.AllConnections)
            {
                foreach (var connection in _connections) connection.Arm(rule);
            }
        }
        return rule;
    }

    /// <summary>Disarms <paramref name="rule"/> everywhere (and ends its stalls).</summary>
    public void Remove(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Release();
        lock (_gate)
        {
            _rules.Remove(rule);
            _everyRule.Remove(rule);
        }
    }

    /// <summary>Disarms every rule added so far (and ends every stall).</summary>
    public void ClearFaults()
    {
        FaultRule[] rules;
        lock (_gate)
        {
            rules = [.. _everyRule];
            _rules.Clear();
            _everyRule.Clear();
        }
        foreach (var rule in rules) rule.Release();
    }

    /// <summary>Closes every open connection now; new connections are accepted as before.</summary>
    public void DropConnections(DropStyle style = DropStyle.Reset)
    {
        ProxyConnection[] open;
        lock (_gate) open = [.. _connections];
        foreach (var connection in open) connection.Drop(style);
    }

    public async ValueTask DisposeAsync()
    {
        ProxyConnection[] open;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            open = [.. _connections];
        }
        _stopping.Cancel();
        _listener.Stop();
        foreach (var connection in open) connection.Drop(DropStyle.Reset);
        ClearFaults();
        // Connections accepted while we were stopping see the cancelled token and end at once.
        var all = Task.WhenAll(_connectionTasks.Keys.Append(_acceptLoop));
        try
        {
            await all.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The fault proxy on port {Port} did not stop within {StopTimeout.TotalSeconds} s: a task leaked.");
        }
        _stopping.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public override string ToString() => $"FaultProxy {Host}:{Port} -> {_targetHost}:{_targetPort}";

    internal void RecordFault(FaultRule rule)
    {
        rule.RecordFired();
        Interlocked.Increment(ref _faults);
    }

    internal void RecordForwarded(ProxyDirection direction, int bytes, long pdus)
    {
        if (direction == ProxyDirection.InitiatorToTarget)
        {
            Interlocked.Add(ref _bytesToTarget, bytes);
            Interlocked.Add(ref _pdusToTarget, pdus);
        }
        else
        {
            Interlocked.Add(ref _bytesToInitiator, bytes);
            Interlocked.Add(ref _pdusToInitiator, pdus);
        }
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket initiator;
            try
            {
                initiator = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client that gave up before we accepted it
            }
            Interlocked.Increment(ref _accepted);
            var task = ProxyAsync(initiator, cancellationToken);
            _connectionTasks.TryAdd(task, 0);
            _ = task.ContinueWith(static (t, s) => ((ConcurrentDictionary<Task, byte>)s!).TryRemove(t, out _),
                _connectionTasks, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Connects to the target for one accepted initiator, arms the rules on it and pumps it to the end.
    /// Never throws: whatever goes wrong ends this connection only.</summary>
    private async Task ProxyAsync(Socket initiator, CancellationToken cancellationToken)
    {
        initiator.NoDelay = true;
        var target = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(Options.TargetConnectTimeout);
                await target.ConnectAsync(_targetHost, _targetPort, connectTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            initiator.LingerState = new LingerOption(true, 0); // the initiator sees a reset, like an unreachable target
            initiator.Dispose();
            target.Dispose();
            return;
        }

        var connection = new ProxyConnection(initiator, target, this);
        lock (_gate)
        {
            if (_disposed)
            {
                connection.Drop(DropStyle.Reset);
                return;
            }
            _rules.RemoveAll(r => r.IsDisarmed);
            foreach (var rule in _rules) connection.Arm(rule);
            // A next-connection rule belongs to this connection from now on: later ones do not get it.
            _rules.RemoveAll(r => r.Scope == FaultScope.NextConnection);
            _connections.Add(connection);
        }
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _connections.Remove(connection);
        }
    }
}
