namespace Iscsi.Scsi;

/// <summary>One SCSI command to send: LUN, CDB, and where data goes in or comes from.</summary>
/// <remarks>
/// Data-In goes straight into the caller's memory (zero copy): either <see cref="DataIn"/> or, for
/// non-contiguous buffers, <see cref="DataInSegments"/> filled in order. If the target sends more than
/// the buffers hold (up to <see cref="ExpectedDataInLength"/>), the rest lands in an engine buffer
/// exposed as <see cref="ScsiResult.OverflowData"/>: never past the caller's memory, never a failure.
/// </remarks>
public sealed class ScsiCommand
{
    public ScsiCommand(int lun, ReadOnlyMemory<byte> cdb)
    {
        if (cdb.Length is < 6 or > 16)
            throw new IscsiArgumentException("CdbLengthInvalid", $"A CDB must be 6 to 16 bytes long; got {cdb.Length}.");
        if (lun is < 0 or > 16383)
            throw new IscsiArgumentException("LunOutOfRange", $"LUN {lun} is outside 0..16383.");
        _lun = lun;
        _cdb = cdb;
    }

    // Fields rather than auto-properties so that a BlockIoChannel can aim its one private, never-exposed command at
    // the next request (Retarget) instead of allocating a new one per I/O. Every other command is immutable.
    private int _lun;
    private ReadOnlyMemory<byte> _cdb;
    private int _expectedDataInLength = -1;
    private Memory<byte> _dataIn;
    private ReadOnlyMemory<byte> _dataOut;

    /// <summary>LUN number (0..16383); encoded on the wire by LunEncoding.</summary>
    public int Lun => _lun;
    public ReadOnlyMemory<byte> Cdb => _cdb;

    /// <summary>Expected Data-In length in bytes (the EDTL for reads). Default: the total size of the buffers given.</summary>
    public int ExpectedDataInLength { get => _expectedDataInLength; init => _expectedDataInLength = value; }
    public Memory<byte> DataIn { get => _dataIn; init => _dataIn = value; }
    public IReadOnlyList<Memory<byte>>? DataInSegments { get; init; }

    /// <summary>Data to send (writes). Its length is the expected data transfer length for the write direction.</summary>
    public ReadOnlyMemory<byte> DataOut { get => _dataOut; init => _dataOut = value; }

    /// <summary>Points a channel's private command at its next request (the caller validated the values).</summary>
    internal void Retarget(int lun, ReadOnlyMemory<byte> cdb, Memory<byte> dataIn, ReadOnlyMemory<byte> dataOut)
    {
        _lun = lun;
        _cdb = cdb;
        _dataIn = dataIn;
        _expectedDataInLength = dataIn.Length;
        _dataOut = dataOut;
    }

    public TaskAttribute Attribute { get; init; } = TaskAttribute.Simple;
    /// <summary>Per-command timeout, counting from the start whatever happens (a reconnect included); null uses the
    /// session's CommandTimeout, which pauses while the session reconnects.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Whether the session may send this command again when the connection was lost while it was in
    /// flight (after reconnecting) or its data arrived with a data digest error. Null: decided by the opcode
    /// (<see cref="RepeatableCommands"/>: reads, writes, inquiries yes; COMPARE AND WRITE, reservations, unknown
    /// opcodes no). A command that is not repeated fails with the connection error instead.</summary>
    public bool? RepeatOnReconnect { get; init; }

    /// <summary>Report every UNIT ATTENTION to the caller, the power-on/reset one (ASC 29h) included. By default the
    /// session absorbs that one (<see cref="UnitAttention"/>): the command was not executed, so it is sent again.</summary>
    public bool RawUnitAttention { get; init; }

    internal bool IsRepeatable => RepeatOnReconnect ?? RepeatableCommands.IsRepeatable(Cdb.Span);

    internal int DataInCapacity
    {
        get
        {
            if (DataInSegments is { } segs)
            {
                long n = 0;
                foreach (var s in segs) n += s.Length;
                return (int)Math.Min(n, int.MaxValue);
            }
            return DataIn.Length;
        }
    }

    internal int EffectiveDataInLength => ExpectedDataInLength >= 0 ? ExpectedDataInLength : DataInCapacity;
}
