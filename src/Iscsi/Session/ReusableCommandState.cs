using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>
/// A <see cref="BlockIoChannel"/>'s command state: one object carrying one command after another, whose outcome
/// the caller awaits as a ValueTask backed by the object itself. With the result a struct, the CDB written into
/// arrays it keeps and the command object retargeted, a read or write allocates nothing on the steady state.
/// </summary>
/// <remarks>
/// Reuse is only safe when nothing else still refers to the object: the base class marks it retained whenever
/// code off the fast path (timer, reconnect, interruption, background sender, cancellation callback) takes a
/// reference, and the channel then starts a new object instead (<see cref="CanCarryNext"/>).
/// </remarks>
internal sealed class ReusableCommandState : ScsiCommandState, IValueTaskSource<BlockIoResult>
{
    private static readonly byte[] Unused = new byte[10];
    private readonly byte[] _cdb10 = new byte[10];
    private readonly byte[] _cdb16 = new byte[16];
    private ManualResetValueTaskSourceCore<BlockIoResult> _core;
    private bool _launched;   // a command was begun on this object
    private bool _consumed;   // the caller took that command's outcome (GetResult)

    public ReusableCommandState(IscsiSession owner)
        : base(new ScsiCommand(0, Unused), owner)
    {
        // As for Task-based commands: continuations go to the thread pool unless the session runs them inline.
        _core.RunContinuationsAsynchronously = !owner.InlineCompletions;
    }

    /// <summary>Never used, or its last command was answered by the target, taken by the caller, and no reference
    /// to it is left anywhere: it may carry the next command.</summary>
    public bool CanCarryNext => !_launched || (_consumed && EndedCleanly);

    /// <summary>A command begun on it has not ended yet (the caller started another before awaiting this one).</summary>
    public bool IsBusy => _launched && !HasEnded;

    public short Version => _core.Version;

    /// <summary>Aims the object at a block read or write; the caller has validated the arguments.</summary>
    public void Begin(int lun, bool write, ulong lba, uint blocks, Memory<byte> dataIn, ReadOnlyMemory<byte> dataOut)
    {
        var cdb = Iscsi.Scsi.Cdb.BlockIoInto(write, lba, blocks, _cdb10, _cdb16);
        Command.Retarget(lun, cdb, dataIn, dataOut);
        Prepare(cdb);
        _core.Reset();
        _launched = true;
        _consumed = false;
    }

    protected override void SetAnswer(ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind residualKind, uint residualCount, ResidualKind bidiKind, uint bidiCount)
        => _core.SetResult(new BlockIoResult
        {
            Status = status,
            IscsiResponse = response,
            Sense = sense.IsEmpty ? null : SenseData.Parse(sense),
            ResidualKind = residualKind,
            ResidualCount = residualCount,
            DataInLength = DataInReceived,
            DataOutLength = DataOutSent,
            Duration = Stopwatch.GetElapsedTime(StartTimestamp),
            InitiatorTaskTag = InitiatorTaskTag,
            CmdSn = CmdSn,
        });

    protected override void SetFailure(Exception error) => _core.SetException(error);

    public BlockIoResult GetResult(short token)
    {
        var result = _core.GetResult(token);
        _consumed = true;
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
