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
        Lun = lun;
        Cdb = cdb;
    }

    /// <summary>LUN number (0..16383); encoded on the wire by LunEncoding.</summary>
    public int Lun { get; }
    public ReadOnlyMemory<byte> Cdb { get; }

    /// <summary>Expected Data-In length in bytes (the EDTL for reads). Default: the total size of the buffers given.</summary>
    public int ExpectedDataInLength { get; init; } = -1;
    public Memory<byte> DataIn { get; init; }
    public IReadOnlyList<Memory<byte>>? DataInSegments { get; init; }

    /// <summary>Data to send (writes). Its length is the expected data transfer length for the write direction.</summary>
    public ReadOnlyMemory<byte> DataOut { get; init; }

    public TaskAttribute Attribute { get; init; } = TaskAttribute.Simple;
    /// <summary>Per-command timeout; null uses the session default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Whether the session may send this command again when the connection was lost while it was in
    /// flight (after reconnecting) or its data arrived with a data digest error. Null: decided by the opcode
    /// (<see cref="RepeatableCommands"/>: reads, writes, inquiries yes; COMPARE AND WRITE, reservations, unknown
    /// opcodes no). A command that is not repeated fails with the connection error instead.</summary>
    public bool? RepeatOnReconnect { get; init; }

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
