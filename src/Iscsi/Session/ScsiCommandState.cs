using System.Diagnostics;
using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>
/// The engine's side of one SCSI command in flight: where its Data-In lands, what of its Data-Out has
/// been sent, and who ends it. How the caller hears the outcome is the subclass's business:
/// <see cref="TaskCommandState"/> completes a Task with a <see cref="ScsiResult"/> (one object per command);
/// <see cref="ReusableCommandState"/> is a BlockIoChannel's one state object, reused command after command.
/// </summary>
internal abstract class ScsiCommandState : PendingRequest
{
    private Memory<byte> _single;
    private IReadOnlyList<Memory<byte>>? _segments;
    private int _capacity;
    private byte[]? _overflow;      // engine buffer for Data-In past the caller's memory (the seed's SEGV fix)
    private byte[]? _owned;         // engine buffer when the caller gave none

    protected ScsiCommandState(ScsiCommand command, IscsiSession? owner)
    {
        Owner = owner;
        Command = command;
    }

    protected IscsiSession? Owner { get; }

    /// <summary>Sets up the data placement for <see cref="Command"/> as it is now (at construction, or after a
    /// channel retargeted it) and forgets everything of a previous command.</summary>
    protected void Prepare(byte[] cdb)
    {
        Cdb = cdb;
        _single = default;
        _segments = null;
        _capacity = 0;
        _overflow = null;
        _owned = null;
        var command = Command;
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
        CmdSn = 0;
        DataInReceived = 0;
        NextDataSn = 0;
        NextR2TSn = 0;
        DataOutSent = 0;
        DataDigestFailed = false;
        DigestRepeats = 0;
        RepeatedAfterReconnect = false;
        UnitAttentionRepeats = 0;
        Sent = false;
        Deadline = 0;
        Registration = default;
        CancellationToken = default;
        _interruptSource = null;
        _interruption = 0;
        _retained = false;
        _succeeded = false;
        Volatile.Write(ref _phase, Running);
    }

    public ScsiCommand Command { get; }
    /// <summary>The CDB as sent (a copy: the caller may reuse its array once the command started).</summary>
    public byte[] Cdb { get; private set; } = [];
    public int ExpectedDataIn { get; private set; }
    public int DataOutLength => Command.DataOut.Length;
    public uint CmdSn { get; set; }
    public int DataInReceived { get; set; }
    /// <summary>The DataSN the next Data-In of this attempt must carry (DataPDUInOrder=Yes).</summary>
    public uint NextDataSn { get; set; }
    /// <summary>The R2TSN the next R2T of this attempt must carry.</summary>
    public uint NextR2TSn { get; set; }
    public int DataOutSent;
    public bool DataDigestFailed { get; set; }
    public TimeSpan Timeout { get; set; }
    /// <summary>The caller's token (for the OperationCanceledException a cancellation ends with).</summary>
    public CancellationToken CancellationToken { get; set; }
    public CancellationTokenRegistration Registration { get; set; }
    /// <summary>Times the command was sent again after a data digest error.</summary>
    public int DigestRepeats { get; set; }
    /// <summary>Sent again after a reconnect: the UNIT ATTENTION the new I_T nexus reports is ours to absorb, even
    /// for a command that asked for raw unit attentions (the caller sent it once, on a nexus it knew).</summary>
    public bool RepeatedAfterReconnect { get; set; }
    /// <summary>Times it was sent again because of a power-on/reset UNIT ATTENTION.</summary>
    public int UnitAttentionRepeats { get; set; }

    /// <summary>Locked (with the session's send lock held) while deciding to send: an interrupted or completed
    /// command must not take a CmdSN, and an interruption must see whether the command went out.</summary>
    public object SendGate => this;

    // Set when code off the fast path takes a reference to this command that may outlive its end (the timer's
    // overdue list, the reconnect's repeat list, a background sender, a cancellation callback, an interruption):
    // such a state object must never be reused for a later command, or that reference would act on the wrong one.
    private volatile bool _retained;

    /// <summary>Marks the object as referenced off the fast path: it is not reused after this command.</summary>
    public void Retain() => _retained = true;

    /// <summary>Ended by the target's answer with no reference left behind: safe to prepare for another command.</summary>
    protected bool EndedCleanly => !_retained && Volatile.Read(ref _phase) == Finished && _succeeded;
    private bool _succeeded;

    /// <summary>Finished one way or the other (an interrupted command has not finished until its abort is done).</summary>
    protected bool HasEnded => Volatile.Read(ref _phase) == Finished;

    /// <summary>Forgets what the previous attempt transferred, before the command is sent again (after a
    /// reconnect, or a data digest error). Only when nothing can still arrive for the previous attempt.</summary>
    public void ResetForRepeat()
    {
        DataInReceived = 0;
        NextDataSn = 0;
        NextR2TSn = 0;
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

    /// <summary>The caller's ScsiResult for an answer (also the partial result an aborted command carries).</summary>
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
            OverflowData = Trimmed(_overflow, inLength - _capacity),
            Data = Trimmed(_owned, inLength),
            Duration = elapsed,
            InitiatorTaskTag = InitiatorTaskTag,
            CmdSn = CmdSn,
        };
    }

    /// <summary>The first <paramref name="length"/> bytes of an engine-owned buffer, as an array of exactly that
    /// length: the buffer itself when it was filled, a copy of the prefix otherwise (short answers are small).</summary>
    private static byte[] Trimmed(byte[]? buffer, int length)
    {
        if (buffer is null || length <= 0) return [];
        return length >= buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    // Who ends the command, decided once: Running -> Finished (a result or a failure), or Running -> Interrupted
    // (the interruption flow owns it: it aborts, then ends it) -> Finished.
    private const int Running = 0, Finished = 1, Interrupted = 2;
    private int _phase;

    /// <summary>Completes the command with the target's answer; false when it already ended or was interrupted.
    /// The caller's continuation may run inside this call (inline completions) and start the next command on a
    /// reusable state: nothing may touch this object after it returns.</summary>
    public bool TrySucceed(ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind residualKind, uint residualCount, ResidualKind bidiKind, uint bidiCount)
    {
        if (Interlocked.CompareExchange(ref _phase, Finished, Running) != Running) return false;
        Owner?.OnCommandFinished(this, answeredByTarget: true);
        _succeeded = true;
        SetAnswer(status, response, sense, residualKind, residualCount, bidiKind, bidiCount);
        return true;
    }

    /// <summary>Hands the target's answer to the caller (once per command).</summary>
    protected abstract void SetAnswer(ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind residualKind, uint residualCount, ResidualKind bidiKind, uint bidiCount);

    /// <summary>Hands a failure to the caller (once per command).</summary>
    protected abstract void SetFailure(Exception error);

    /// <summary>Fails the command (unless it already ended or an interruption owns it); a sender still waiting for
    /// the command window or a reconnect wakes up too.</summary>
    public override void Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _phase, Finished, Running) != Running) return;
        CancellationTokenSource? source;
        lock (SendGate) source = _interruptSource;
        source?.Cancel();
        Owner?.OnCommandFinished(this, answeredByTarget: false);
        _succeeded = false;
        SetFailure(error);
    }

    /// <summary>Ends an interrupted command with the timeout or cancellation it was interrupted for.</summary>
    public void FinishInterrupted(Exception error)
    {
        if (Interlocked.CompareExchange(ref _phase, Finished, Interrupted) != Interrupted) return;
        Owner?.OnCommandFinished(this, answeredByTarget: false);
        _succeeded = false;
        SetFailure(error);
    }

    /// <summary>Stopwatch timestamp after which the session's timer interrupts the command; 0 = never.</summary>
    public long Deadline { get; set; }

    /// <summary>True when the command runs on the session's CommandTimeout (it has no Timeout of its own): that
    /// timeout counts time on a logged-in session only. While the session reconnects it is paused (the outage is
    /// bounded by ReconnectTimeout instead), and it starts afresh once the new connection is open. A command's own
    /// Timeout bounds its whole life, reconnects included.</summary>
    public bool TimeoutPausesForReconnect { get; set; }

    private int _interruption;
    private CancellationTokenSource? _interruptSource;

    public CommandInterruption Interruption => (CommandInterruption)Volatile.Read(ref _interruption);

    /// <summary>Cancelled when the command is interrupted or fails; created only by a sender that has to wait.</summary>
    public CancellationToken InterruptToken
    {
        get
        {
            lock (SendGate)
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
        lock (SendGate)
        {
            if (Interlocked.CompareExchange(ref _phase, Interrupted, Running) != Running) return;
            _retained = true; // the interruption flow holds it until it ends the command
            Volatile.Write(ref _interruption, (int)reason);
            source = _interruptSource;
        }
        source?.Cancel();
        Owner?.OnInterrupted(this);
    }
}

internal enum CommandInterruption { None, TimedOut, Cancelled }
