using System.Net.Sockets;

namespace Iscsi.Tests.Infrastructure;

/// <summary>How a <see cref="ProxyPump"/> stopped without an exception.</summary>
internal enum PumpEnd
{
    /// <summary>The source sent FIN: pass the half-close on.</summary>
    SourceClosed,

    /// <summary>A Drop fault closed the connection.</summary>
    Dropped,
}

/// <summary>Forwards one direction of one proxied connection, chunk by chunk as it arrives, through a
/// <see cref="PduFramer"/>, applying the faults armed on it: a Drop or Stall splits a chunk at its exact byte,
/// a flip changes a byte in place before it is sent, a Delay waits before each send.</summary>
internal sealed class ProxyPump : IPduObserver
{
    private const int ChunkSize = 64 * 1024;

    private readonly ProxyConnection _connection;
    private readonly Socket _source, _destination;
    private readonly FaultProxy _proxy;
    private readonly PduFramer _framer;
    private readonly List<ArmedFault> _armed = [];
    // Owned by the pump's own task: the flips live during one Process call, and those picked for the current PDU.
    private readonly List<ArmedFault> _flipsInScope = [];
    private readonly List<(int Offset, byte Mask)> _headerFlips = [], _dataFlips = [];
    private long _bytes;
    private long _pdusReported;

    public ProxyPump(ProxyConnection connection, ProxyDirection direction, Socket source, Socket destination,
        FaultProxy proxy, LoginPhase loginPhase)
    {
        _connection = connection;
        Direction = direction;
        _source = source;
        _destination = destination;
        _proxy = proxy;
        _framer = new PduFramer(proxy.Options.HeaderDigest, proxy.Options.DataDigest, loginPhase, this);
    }

    public ProxyDirection Direction { get; }

    /// <summary>Arms <paramref name="rule"/> here; a byte trigger counts from the bytes forwarded so far.</summary>
    public void Arm(FaultRule rule)
    {
        long distance = rule.Kind is FaultKind.Drop or FaultKind.Stall ? rule.NextTriggerDistance() : 0;
        lock (_armed) _armed.Add(new ArmedFault(rule, Interlocked.Read(ref _bytes) + distance));
    }

    public async Task<PumpEnd> RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        while (true)
        {
            int received = await _source.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0) return PumpEnd.SourceClosed;
            int position = 0;
            while (position < received)
            {
                var trigger = NextByteTrigger(received - position, out int distance);
                int count = trigger is null ? received - position : distance;
                if (count > 0)
                {
                    await ForwardAsync(buffer.AsMemory(position, count), cancellationToken).ConfigureAwait(false);
                    position += count;
                }
                if (trigger is null) continue;
                trigger.Done = true;
                if (!trigger.Rule.TryClaim()) continue; // a one-shot rule another connection already used
                _proxy.RecordFault(trigger.Rule);
                if (trigger.Rule.Kind == FaultKind.Drop)
                {
                    _connection.Drop(trigger.Rule.DropStyle);
                    return PumpEnd.Dropped;
                }
                await StallAsync(trigger.Rule, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The Drop or Stall whose trigger comes first within the next <paramref name="available"/> bytes
    /// (a trigger exactly at the end counts: "drop after N" acts right after byte N, not on byte N + 1).</summary>
    private ArmedFault? NextByteTrigger(int available, out int distance)
    {
        ArmedFault? first = null;
        distance = 0;
        long bytes = Interlocked.Read(ref _bytes);
        lock (_armed)
        {
            foreach (var fault in _armed)
            {
                if (!fault.IsLive || fault.Rule.Kind is not (FaultKind.Drop or FaultKind.Stall)) continue;
                long d = Math.Max(0, fault.TriggerAtByte - bytes);
                if (d <= available && (first is null || d < distance))
                {
                    first = fault;
                    distance = (int)d;
                }
            }
        }
        return first;
    }

    private async Task ForwardAsync(Memory<byte> chunk, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.Zero;
        _flipsInScope.Clear();
        lock (_armed)
        {
            foreach (var fault in _armed)
            {
                if (!fault.IsLive) continue;
                if (fault.Rule.Kind == FaultKind.FlipBit)
                {
                    _flipsInScope.Add(fault);
                }
                else if (fault.Rule.Kind == FaultKind.Delay && fault.Rule.TryClaim())
                {
                    fault.Done = !fault.Rule.Repeating;
                    delay += fault.Rule.Duration!.Value;
                    _proxy.RecordFault(fault.Rule);
                }
            }
        }
        if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);

        _framer.Process(chunk.Span); // flips happen here, before the bytes leave
        for (int sent = 0; sent < chunk.Length;)
            sent += await _destination.SendAsync(chunk[sent..], SocketFlags.None, cancellationToken).ConfigureAwait(false);

        Interlocked.Add(ref _bytes, chunk.Length);
        long pdus = _framer.CompletedPdus;
        _proxy.RecordForwarded(Direction, chunk.Length, pdus - _pdusReported);
        _pdusReported = pdus;
    }

    private static async Task StallAsync(FaultRule rule, CancellationToken cancellationToken)
    {
        try
        {
            if (rule.Duration is { } duration)
                await rule.Released.WaitAsync(duration, cancellationToken).ConfigureAwait(false);
            else
                await rule.Released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The stall's time is up.
        }
    }

    void IPduObserver.OnPduStart(byte opcode)
        => PickFlips(PduRegion.Header, opcode, dataSegmentLength: 0, _headerFlips);

    void IPduObserver.OnHeaderComplete(byte opcode, int dataSegmentLength)
        => PickFlips(PduRegion.Data, opcode, dataSegmentLength, _dataFlips);

    void IPduObserver.OnHeaderBytes(Span<byte> run, int offset) => ApplyFlips(_headerFlips, run, offset);

    void IPduObserver.OnDataBytes(Span<byte> run, int offset) => ApplyFlips(_dataFlips, run, offset);

    /// <summary>Counts this PDU for every flip rule of <paramref name="region"/> it matches and keeps the flips
    /// whose occurrence it is.</summary>
    private void PickFlips(PduRegion region, byte opcode, int dataSegmentLength, List<(int Offset, byte Mask)> picked)
    {
        picked.Clear();
        foreach (var fault in _flipsInScope)
        {
            var rule = fault.Rule;
            if (fault.Done || rule.Region != region) continue;
            if (rule.Opcode is { } wanted && (byte)wanted != opcode) continue;
            if (region == PduRegion.Data && dataSegmentLength <= rule.ByteOffset) continue;
            if (++fault.Matches != rule.Occurrence) continue;
            fault.Done = true;
            if (!rule.TryClaim()) continue;
            picked.Add((rule.ByteOffset, (byte)(1 << rule.Bit)));
            _proxy.RecordFault(rule);
        }
    }

    private static void ApplyFlips(List<(int Offset, byte Mask)> flips, Span<byte> run, int offset)
    {
        foreach (var (at, mask) in flips)
        {
            if (at >= offset && at < offset + run.Length)
                run[at - offset] ^= mask;
        }
    }
}
