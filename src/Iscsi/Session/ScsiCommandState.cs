using System.Diagnostics;
using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>
/// The engine's side of one SCSI command in flight: where its Data-In lands, what of its Data-Out has
/// been sent, and the completion the caller awaits.
/// </summary>
internal sealed class ScsiCommandState : PendingRequest
{
    private readonly Memory<byte> _single;
    private readonly IReadOnlyList<Memory<byte>>? _segments;
    private readonly int _capacity;
    private byte[]? _overflow;      // engine buffer for Data-In past the caller's memory (the seed's SEGV fix)
    private readonly byte[]? _owned; // engine buffer when the caller gave none

    private readonly IscsiSession? _owner;

    public ScsiCommandState(ScsiCommand command, IscsiSession? owner = null)
    {
        _owner = owner;
        Command = command;
        Cdb = command.Cdb.ToArray();
        ExpectedDataIn = command.EffectiveDataInLength;
        if (ExpectedDataIn < 0)
            throw new IscsiArgumentException("DataInLengthInvalid", $"The expected Data-In length {ExpectedDataIn} is negative.");
        if (command.DataInSegments is { } segments)
        {
            _segments = segments;
            _capacity = command.DataInCapacity;
        }
        else if (command.DataIn.Length > 0)
        {
            _single = command.DataIn;
            _capacity = command.DataIn.Length;
        }
        else if (ExpectedDataIn > 0)
        {
            _owned = new byte[ExpectedDataIn];
            _single = _owned;
            _capacity = _owned.Length;
        }
        Completion = new TaskCompletionSource<ScsiResult>(owner is { InlineCompletions: true } ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public ScsiCommand Command { get; }
    public byte[] Cdb { get; }
    public int ExpectedDataIn { get; }
    public int DataOutLength => Command.DataOut.Length;
    public uint CmdSn { get; set; }
    public int DataInReceived { get; set; }
    /// <summary>The DataSN the next Data-In of this attempt must carry (DataPDUInOrder=Yes).</summary>
    public uint NextDataSn { get; set; }
    public int DataOutSent;
    public bool DataDigestFailed { get; set; }
    public TaskCompletionSource<ScsiResult> Completion { get; }
    public TimeSpan Timeout { get; init; }
    /// <summary>The caller's token (for the OperationCanceledException a cancellation ends with).</summary>
    public CancellationToken CancellationToken { get; init; }
    public CancellationTokenRegistration Registration { get; set; }
    /// <summary>Times the command was sent again after a data digest error.</summary>
    public int DigestRepeats { get; set; }
    /// <summary>Sent again after a reconnect: the UNIT ATTENTION the new I_T nexus reports is ours to absorb.</summary>
    public bool RepeatedAfterReconnect { get; set; }
    /// <summary>Times it was sent again because of such a UNIT ATTENTION.</summary>
    public int UnitAttentionRepeats { get; set; }

    /// <summary>Locked (with the session's send lock held) while deciding to send: an interrupted or completed
    /// command must not take a CmdSN, and an interruption must see whether the command went out.</summary>
    public object SendGate => Completion;


    /// <summary>Forgets what the previous attempt transferred, before the command is sent again (after a
    /// reconnect, or a data digest error). Only when nothing can still arrive for the previous attempt.</summary>
    public void ResetForRepeat()
    {
        DataInReceived = 0;
        NextDataSn = 0;
        DataOutSent = 0;
        DataDigestFailed = false;
        Sent = false;
    }

    /// <summary>The contiguous memory where Data-In bytes at <paramref name="offset"/> go, at most
    /// <paramref name="length"/> long. The caller has checked offset + length against ExpectedDataIn.</summary>
    public Memory<byte> DestinationAt(int offset, int length)
    {
        if (offset < _capacity)
        {
            if (_segments is null)
                return _single.Slice(offset, Math.Min(length, _capacity - offset));
            int start = 0;
            foreach (var segment in _segments)
            {
                if (offset < start + segment.Length)
                {
                    int within = offset - start;
                    return segment.Slice(within, Math.Min(length, segment.Length - within));
                }
                start += segment.Length;
            }
        }
        _overflow ??= new byte[ExpectedDataIn - _capacity];
        int at = offset - _capacity;
        return _overflow.AsMemory(at, Math.Min(length, _overflow.Length - at));
    }

    public ScsiResult BuildResult(ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind residualKind, uint residualCount, ResidualKind bidiKind, uint bidiCount)
    {
        var elapsed = Stopwatch.GetElapsedTime(StartTimestamp);
        int inLength = DataInReceived;
        return new ScsiResult
        {
            Lun = Command.Lun,
            Cdb = Cdb,
            Status = status,
            IscsiResponse = response,
            Sense = sense.IsEmpty ? null : SenseData.Parse(sense),
            ResidualKind = residualKind,
            ResidualCount = residualCount,
            BidirectionalResidualKind = bidiKind,
            BidirectionalResidualCount = bidiCount,
            DataInLength = inLength,
            DataOutLength = DataOutSent,
            OverflowData = _overflow is null ? ReadOnlyMemory<byte>.Empty
                : _overflow.AsMemory(0, Math.Clamp(inLength - _capacity, 0, _overflow.Length)),
            Data = _owned is null ? ReadOnlyMemory<byte>.Empty : _owned.AsMemory(0, Math.Min(inLength, _owned.Length)),
            Duration = elapsed,
            InitiatorTaskTag = InitiatorTaskTag,
            CmdSn = CmdSn,
        };
    }

    // Who ends the command, decided once: Running -> Finished (a result or a failure), or Running -> Interrupted
    // (the interruption flow owns it: it aborts, then ends it) -> Finished.
    private const int Running = 0, Finished = 1, Interrupted = 2;
    private int _phase;

    /// <summary>Completes the command with the target's answer; false when it already ended or was interrupted.</summary>
    public bool TrySucceed(ScsiResult result)
    {
        if (Interlocked.CompareExchange(ref _phase, Finished, Running) != Running) return false;
        _owner?.OnCommandFinished(this, answeredByTarget: true);
        Completion.SetResult(result);
        return true;
    }

    /// <summary>Fails the command (unless it already ended or an interruption owns it); a sender still waiting for
    /// the command window or a reconnect wakes up too.</summary>
    public override void Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _phase, Finished, Running) != Running) return;
        CancellationTokenSource? source;
        lock (Completion) source = _interruptSource;
        source?.Cancel();
        _owner?.OnCommandFinished(this, answeredByTarget: false);
        Completion.SetException(error);
    }

    /// <summary>Ends an interrupted command with the timeout or cancellation it was interrupted for.</summary>
    public void FinishInterrupted(Exception error)
    {
        if (Interlocked.CompareExchange(ref _phase, Finished, Interrupted) != Interrupted) return;
        _owner?.OnCommandFinished(this, answeredByTarget: false);
        Completion.SetException(error);
    }

    /// <summary>Stopwatch timestamp after which the session's timer interrupts the command; 0 = never.</summary>
    public long Deadline { get; set; }

    private int _interruption;
    private CancellationTokenSource? _interruptSource;

    public CommandInterruption Interruption => (CommandInterruption)Volatile.Read(ref _interruption);

    /// <summary>Cancelled when the command is interrupted or fails; created only by a sender that has to wait.</summary>
    public CancellationToken InterruptToken
    {
        get
        {
            lock (Completion)
            {
                if (Volatile.Read(ref _phase) != Running) return new CancellationToken(canceled: true);
                return (_interruptSource ??= new CancellationTokenSource()).Token;
            }
        }
    }

    /// <summary>Neither interrupted nor ended (call under <see cref="SendGate"/>).</summary>
    public bool MaySend => Volatile.Read(ref _phase) == Running;

    /// <summary>Stops the command for <paramref name="reason"/> (first reason wins; nothing happens once it ended).
    /// Taken under <see cref="SendGate"/>: a sender either sees the interruption or has already marked the command
    /// sent, so the interruption flow knows whether there is something to abort on the wire.</summary>
    public void Interrupt(CommandInterruption reason)
    {
        CancellationTokenSource? source;
        lock (Completion)
        {
            if (Interlocked.CompareExchange(ref _phase, Interrupted, Running) != Running) return;
            Volatile.Write(ref _interruption, (int)reason);
            source = _interruptSource;
        }
        source?.Cancel();
        _owner?.OnInterrupted(this);
    }
}

internal enum CommandInterruption { None, TimedOut, Cancelled }
