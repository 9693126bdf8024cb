using Iscsi.Pdu;

namespace Iscsi.Tests.Infrastructure;

/// <summary>One fault a <see cref="FaultProxy"/> injects into one direction of its connections. Build it with a
/// factory method, hand it to <see cref="FaultProxy.Add"/>, then watch <see cref="FiredCount"/> / <see cref="Fired"/>.</summary>
/// <remarks>
/// Counting is per connection: byte triggers count from the moment the rule is armed on a connection (added while
/// the connection is open, or the connection's first byte for a later one), PDU occurrences count that connection's
/// PDUs of the direction. A one-shot rule fires once in all (on whichever armed connection reaches its trigger
/// first); a repeating rule fires once on every connection it is armed on (Drop, Stall, FlipBit: at the same trigger
/// point; DropAtRandomPoint: a fresh random point per connection) and, for Delay, before every forward.
/// </remarks>
public sealed class FaultRule
{
    private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random? _random;
    private readonly long _randomMin, _randomMax;
    private int _claimed;
    private int _firedCount;
    private int _added;

    private FaultRule(FaultKind kind, ProxyDirection direction, bool repeating, FaultScope scope)
    {
        Kind = kind;
        Direction = direction;
        Repeating = repeating;
        Scope = scope;
    }

    private FaultRule(FaultKind kind, ProxyDirection direction, bool repeating, FaultScope scope, long randomMin, long randomMax, int seed)
        : this(kind, direction, repeating, scope)
    {
        _random = new Random(seed);
        _randomMin = randomMin;
        _randomMax = randomMax;
    }

    public FaultKind Kind { get; }
    public ProxyDirection Direction { get; }
    public bool Repeating { get; }
    public FaultScope Scope { get; }

    /// <summary>Drop/Stall: bytes of the direction forwarded on a connection (since arming) before the fault acts.</summary>
    public long AfterBytes { get; private init; }

    /// <summary>Drop: how the sockets are closed.</summary>
    public DropStyle DropStyle { get; private init; }

    /// <summary>Stall: how long forwarding is held; null until <see cref="Release"/>. Delay: the wait before each forward.</summary>
    public TimeSpan? Duration { get; private init; }

    /// <summary>FlipBit: the opcode a PDU must have to count (null: any PDU).</summary>
    public Opcode? Opcode { get; private init; }

    /// <summary>FlipBit: which matching PDU of a connection is hit (1 = the first).</summary>
    public int Occurrence { get; private init; }

    /// <summary>FlipBit: header or data segment.</summary>
    public PduRegion Region { get; private init; }

    /// <summary>FlipBit: byte offset in the region (Data: a PDU counts only if its data segment reaches past it).</summary>
    public int ByteOffset { get; private init; }

    /// <summary>FlipBit: which bit of that byte (0 = least significant).</summary>
    public int Bit { get; private init; }

    /// <summary>How often the fault has acted (a Delay counts each delayed forward).</summary>
    public int FiredCount => Volatile.Read(ref _firedCount);

    /// <summary>Completes when the fault acts for the first time.</summary>
    public Task Fired => _fired.Task;

    /// <summary>Completes when <see cref="Release"/> was called (or the rule removed).</summary>
    internal Task Released => _released.Task;

    /// <summary>True once released or removed: the rule no longer acts anywhere.</summary>
    public bool IsDisarmed => _released.Task.IsCompleted;

    /// <summary>Closes both sockets once <paramref name="afterBytes"/> bytes of <paramref name="direction"/> have been forwarded.</summary>
    public static FaultRule DropAfterBytes(ProxyDirection direction, long afterBytes, DropStyle style = DropStyle.Reset,
        bool repeating = false, FaultScope scope = FaultScope.AllConnections)
        => new(FaultKind.Drop, direction, repeating, scope) { AfterBytes = RequireNotNegative(afterBytes, nameof(afterBytes)), DropStyle = style };

    /// <summary>Like <see cref="DropAfterBytes"/> at a point drawn from [<paramref name="minBytes"/>, <paramref name="maxBytes"/>]
    /// by a <see cref="Random"/> seeded with <paramref name="seed"/>: one draw per connection armed, in arming order, so
    /// the same seed and the same sequence of connections give the same points.</summary>
    public static FaultRule DropAtRandomPoint(ProxyDirection direction, long minBytes, long maxBytes, int seed,
        DropStyle style = DropStyle.Reset, bool repeating = false, FaultScope scope = FaultScope.AllConnections)
    {
        RequireNotNegative(minBytes, nameof(minBytes));
        if (maxBytes < minBytes)
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, $"must be at least minBytes ({minBytes})");
        return new(FaultKind.Drop, direction, repeating, scope, minBytes, maxBytes, seed) { DropStyle = style };
    }

    /// <summary>Holds forwarding once <paramref name="afterBytes"/> bytes have passed, for <paramref name="duration"/>
    /// or (null) until <see cref="Release"/>. Bytes keep queueing in the kernel buffers meanwhile; none is lost.</summary>
    public static FaultRule Stall(ProxyDirection direction, TimeSpan? duration = null, long afterBytes = 0,
        bool repeating = false, FaultScope scope = FaultScope.AllConnections)
    {
        if (duration is { } d && d < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), d, "must not be negative");
        return new(FaultKind.Stall, direction, repeating, scope) { Duration = duration, AfterBytes = RequireNotNegative(afterBytes, nameof(afterBytes)) };
    }

    /// <summary>Waits <paramref name="delay"/> before forwarding each chunk read (one-shot: the next chunk only).</summary>
    public static FaultRule Delay(ProxyDirection direction, TimeSpan delay, bool repeating = true, FaultScope scope = FaultScope.AllConnections)
    {
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "must not be negative");
        return new(FaultKind.Delay, direction, repeating, scope) { Duration = delay };
    }

    /// <summary>Inverts bit <paramref name="bit"/> of BHS byte <paramref name="byteOffset"/> (0-47) of the
    /// <paramref name="occurrence"/>-th PDU with <paramref name="opcode"/> (null: any) on a connection.</summary>
    public static FaultRule FlipHeaderBit(ProxyDirection direction, Opcode? opcode, int occurrence, int byteOffset, int bit = 0,
        bool repeating = false, FaultScope scope = FaultScope.AllConnections)
    {
        if (byteOffset is < 0 or >= PduFramer.BhsLength)
            throw new ArgumentOutOfRangeException(nameof(byteOffset), byteOffset, $"a BHS offset is 0..{PduFramer.BhsLength - 1}");
        return Flip(direction, opcode, occurrence, PduRegion.Header, byteOffset, bit, repeating, scope);
    }

    /// <summary>Inverts bit <paramref name="bit"/> of data segment byte <paramref name="byteOffset"/> of the
    /// <paramref name="occurrence"/>-th PDU with <paramref name="opcode"/> (null: any) whose data segment is longer
    /// than <paramref name="byteOffset"/>.</summary>
    public static FaultRule FlipDataBit(ProxyDirection direction, Opcode? opcode, int occurrence, int byteOffset, int bit = 0,
        bool repeating = false, FaultScope scope = FaultScope.AllConnections)
    {
        RequireNotNegative(byteOffset, nameof(byteOffset));
        return Flip(direction, opcode, occurrence, PduRegion.Data, byteOffset, bit, repeating, scope);
    }

    /// <summary>Ends every stall of this rule now and disarms the rule everywhere.</summary>
    public void Release() => _released.TrySetResult();

    public override string ToString() => Kind switch
    {
        FaultKind.Drop when _random is not null => $"Drop {Direction} at a random point in [{_randomMin}, {_randomMax}] ({DropStyle})",
        FaultKind.Drop => $"Drop {Direction} after {AfterBytes} bytes ({DropStyle})",
        FaultKind.Stall => $"Stall {Direction} after {AfterBytes} bytes for {(Duration is { } d ? $"{d.TotalMilliseconds} ms" : "until released")}",
        FaultKind.Delay => $"Delay {Direction} forwards by {Duration!.Value.TotalMilliseconds} ms",
        _ => $"Flip bit {Bit} of {Region} byte {ByteOffset} of {Direction} {Opcode?.ToString() ?? "PDU"} #{Occurrence}",
    } + (Repeating ? ", repeating" : ", one-shot") + (Scope == FaultScope.NextConnection ? ", next connection" : "");

    /// <summary>Byte trigger for a newly armed connection: fixed, or the next random draw.</summary>
    internal long NextTriggerDistance()
    {
        if (_random is null) return AfterBytes;
        lock (_random) return _random.NextInt64(_randomMin, _randomMax + 1);
    }

    /// <summary>Whether the fault may act now: always for a repeating rule, once for a one-shot rule.</summary>
    internal bool TryClaim() => !IsDisarmed && (Repeating || Interlocked.Exchange(ref _claimed, 1) == 0);

    internal void RecordFired()
    {
        Interlocked.Increment(ref _firedCount);
        _fired.TrySetResult();
    }

    /// <summary>A rule belongs to one proxy, once.</summary>
    internal void MarkAdded()
    {
        if (Interlocked.Exchange(ref _added, 1) != 0)
            throw new InvalidOperationException($"The fault rule '{this}' was already added to a proxy; create a new one.");
    }

    private static FaultRule Flip(ProxyDirection direction, Opcode? opcode, int occurrence, PduRegion region, int byteOffset, int bit,
        bool repeating, FaultScope scope)
    {
        if (occurrence < 1)
            throw new ArgumentOutOfRangeException(nameof(occurrence), occurrence, "the first matching PDU is occurrence 1");
        if (bit is < 0 or > 7)
            throw new ArgumentOutOfRangeException(nameof(bit), bit, "a bit of a byte is 0..7");
        return new(FaultKind.FlipBit, direction, repeating, scope)
        {
            Opcode = opcode, Occurrence = occurrence, Region = region, ByteOffset = byteOffset, Bit = bit,
        };
    }

    private static long RequireNotNegative(long value, string name)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "must not be negative");

    private static int RequireNotNegative(int value, string name)
        => value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "must not be negative");
}
