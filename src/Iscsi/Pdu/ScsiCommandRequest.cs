namespace Iscsi.Pdu;

/// <summary>SCSI Command (RFC 7143 11.3).</summary>
/// <remarks>
/// <code>
///        0               1               2               3
///    0 |.|I| 0x01      |F|R|W|. .|ATTR | reserved                      |
///    4 | TotalAHSLength| DataSegmentLength                             |
///    8 | Logical Unit Number (8 bytes)                                 |
///   16 | Initiator Task Tag                                            |
///   20 | Expected Data Transfer Length                                 |
///   24 | CmdSN                                                         |
///   28 | ExpStatSN                                                     |
///   32 | SCSI Command Descriptor Block (16 bytes)                      |
/// </code>
/// A CDB longer than 16 bytes needs an Extended CDB AHS, which this codec does not build.
/// </remarks>
public readonly struct ScsiCommandRequest
{
    private const byte ReadBit = 0x40;
    private const byte WriteBit = 0x20;
    private const byte AttributeMask = 0x07;
    private const int ExpectedDataTransferLengthOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;
    private const int CdbOffset = 32;
    public const int CdbFieldLength = 16;

    public bool Immediate { get; init; }
    /// <summary>No unsolicited Data-Out PDUs follow this command.</summary>
    public bool Final { get; init; }
    public bool Read { get; init; }
    public bool Write { get; init; }
    /// <summary>Task attribute, 3 bits (see <see cref="Iscsi.Scsi.TaskAttribute"/>).</summary>
    public byte Attribute { get; init; }
    /// <summary>In bytes; a multiple of 4.</summary>
    public int TotalAhsLength { get; init; }
    public int DataSegmentLength { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint ExpectedDataTransferLength { get; init; }
    public uint CmdSn { get; init; }
    public uint ExpStatSn { get; init; }
    /// <summary>Up to 16 bytes; written zero-padded to 16. TryRead gives all 16 bytes of the field.</summary>
    public ReadOnlyMemory<byte> Cdb { get; init; }

    public void WriteTo(Span<byte> bhs)
    {
        if (Cdb.Length > CdbFieldLength)
            throw new IscsiArgumentException("CdbTooLong",
                $"A {Cdb.Length}-byte CDB does not fit the {CdbFieldLength}-byte BHS field (extended CDBs are not supported).");
        byte flags = (byte)(BhsFields.FlagIf(Final, Bhs.FinalBit)
                          | BhsFields.FlagIf(Read, ReadBit)
                          | BhsFields.FlagIf(Write, WriteBit)
                          | BhsFields.CheckFits(Attribute, AttributeMask, nameof(Attribute)));
        BhsFields.Begin(bhs, Opcode.ScsiCommand, Immediate, flags, DataSegmentLength, TotalAhsLength);
        BhsFields.Put(bhs, Bhs.LunOffset, Lun);
        BhsFields.Put(bhs, Bhs.InitiatorTaskTagOffset, InitiatorTaskTag);
        BhsFields.Put(bhs, ExpectedDataTransferLengthOffset, ExpectedDataTransferLength);
        BhsFields.Put(bhs, CmdSnOffset, CmdSn);
        BhsFields.Put(bhs, ExpStatSnOffset, ExpStatSn);
        Cdb.Span.CopyTo(bhs.Slice(CdbOffset, CdbFieldLength));
    }

    public static bool TryRead(ReadOnlySpan<byte> bhs, out ScsiCommandRequest pdu)
    {
        if (!BhsFields.Matches(bhs, Opcode.ScsiCommand))
        {
            pdu = default;
            return false;
        }
        pdu = new ScsiCommandRequest
        {
            Immediate = Bhs.IsImmediate(bhs),
            Final = BhsFields.Flag(bhs, Bhs.FinalBit),
            Read = BhsFields.Flag(bhs, ReadBit),
            Write = BhsFields.Flag(bhs, WriteBit),
            Attribute = (byte)(bhs[Bhs.FlagsOffset] & AttributeMask),
            TotalAhsLength = Bhs.GetTotalAhsLength(bhs),
            DataSegmentLength = Bhs.GetDataSegmentLength(bhs),
            Lun = BhsFields.U64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = BhsFields.U32(bhs, Bhs.InitiatorTaskTagOffset),
            ExpectedDataTransferLength = BhsFields.U32(bhs, ExpectedDataTransferLengthOffset),
            CmdSn = BhsFields.U32(bhs, CmdSnOffset),
            ExpStatSn = BhsFields.U32(bhs, ExpStatSnOffset),
            Cdb = bhs.Slice(CdbOffset, CdbFieldLength).ToArray(),
        };
        return true;
    }
}
