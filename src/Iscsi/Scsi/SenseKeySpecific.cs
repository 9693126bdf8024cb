namespace Iscsi.Scsi;

/// <summary>Which meaning the three SENSE KEY SPECIFIC bytes have; it follows from the sense key (SPC-5 4.4.2.5).</summary>
public enum SenseKeySpecificKind
{
    /// <summary>ILLEGAL REQUEST: which CDB or parameter-list byte (and bit) was wrong.</summary>
    FieldPointer,
    /// <summary>RECOVERED ERROR, MEDIUM ERROR, HARDWARE ERROR: retries the recovery algorithm made.</summary>
    ActualRetryCount,
    /// <summary>NO SENSE, NOT READY: how far a long operation (format, sanitize...) has got.</summary>
    ProgressIndication,
    /// <summary>COPY ABORTED: which segment descriptor or parameter byte was wrong.</summary>
    SegmentPointer,
    /// <summary>UNIT ATTENTION: whether unit attention conditions were lost to a queue overflow.</summary>
    UnitAttentionConditionQueueOverflow,
    /// <summary>Any other sense key: no standard meaning.</summary>
    Other,
}

/// <summary>
/// Decoded SENSE KEY SPECIFIC field (fixed format bytes 15-17, or descriptor type 02h bytes 4-6),
/// present only when its SKSV bit is set.
/// </summary>
/// <remarks>
/// Field pointer layout (ILLEGAL REQUEST), SPC-5 table 55:
/// <code>
///        7      6     5  4    3     2  1  0
/// 0   | SKSV | C/D | rsvd  | BPV | BIT POINTER |
/// 1-2 |            FIELD POINTER (BE)          |
/// </code>
/// Progress indication and actual retry count are a 16-bit value in bytes 1-2.
/// </remarks>
public sealed class SenseKeySpecific
{
    private const byte CommandDataBit = 0x40;
    private const byte SegmentDescriptorBit = 0x20;
    private const byte BitPointerValidBit = 0x08;
    private const byte BitPointerMask = 0x07;
    private const byte OverflowBit = 0x01;

    private SenseKeySpecific(SenseKeySpecificKind kind, byte[] raw)
    {
        Kind = kind;
        Raw = raw;
    }

    public SenseKeySpecificKind Kind { get; }
    /// <summary>The three bytes as received, SKSV bit included.</summary>
    public byte[] Raw { get; }

    /// <summary>Field pointer / segment pointer: true when the pointer is into the CDB, false for the parameter data.</summary>
    public bool? CommandData { get; private init; }
    /// <summary>Segment pointer: true when the pointer is relative to a segment descriptor.</summary>
    public bool? SegmentDescriptor { get; private init; }
    /// <summary>Field or segment pointer: the byte number of the offending field.</summary>
    public ushort? FieldPointer { get; private init; }
    /// <summary>Field or segment pointer: the leftmost bit of the offending field, when BPV is set.</summary>
    public byte? BitPointer { get; private init; }
    /// <summary>Actual retry count (vendor-defined units).</summary>
    public ushort? ActualRetryCount { get; private init; }
    /// <summary>Progress indication, the numerator of a fraction of 65536.</summary>
    public ushort? ProgressIndication { get; private init; }
    /// <summary>Progress indication as a percentage, 0..100.</summary>
    public double? ProgressPercent => ProgressIndication is { } p ? p * 100.0 / 65536.0 : null;
    /// <summary>Unit attention condition queue overflow.</summary>
    public bool? Overflow { get; private init; }

    /// <summary>Decodes the three bytes for a sense key; null when fewer than 3 bytes or SKSV is clear.</summary>
    internal static SenseKeySpecific? Decode(SenseKey key, ReadOnlySpan<byte> field)
    {
        if (field.Length < 3 || (field[0] & 0x80) == 0)
            return null;
        byte[] raw = field[..3].ToArray();
        ushort value = (ushort)(field[1] << 8 | field[2]);
        byte? bitPointer = (field[0] & BitPointerValidBit) != 0 ? (byte)(field[0] & BitPointerMask) : null;
        return key switch
        {
            SenseKey.IllegalRequest => new(SenseKeySpecificKind.FieldPointer, raw)
            {
                CommandData = (field[0] & CommandDataBit) != 0,
                BitPointer = bitPointer,
                FieldPointer = value,
            },
            SenseKey.RecoveredError or SenseKey.MediumError or SenseKey.HardwareError
                => new(SenseKeySpecificKind.ActualRetryCount, raw) { ActualRetryCount = value },
            SenseKey.NoSense or SenseKey.NotReady
                => new(SenseKeySpecificKind.ProgressIndication, raw) { ProgressIndication = value },
            SenseKey.CopyAborted => new(SenseKeySpecificKind.SegmentPointer, raw)
            {
                SegmentDescriptor = (field[0] & SegmentDescriptorBit) != 0,
                BitPointer = bitPointer,
                FieldPointer = value,
            },
            SenseKey.UnitAttention => new(SenseKeySpecificKind.UnitAttentionConditionQueueOverflow, raw)
            {
                Overflow = (field[0] & OverflowBit) != 0,
            },
            _ => new(SenseKeySpecificKind.Other, raw),
        };
    }

    public override string ToString() => Kind switch
    {
        SenseKeySpecificKind.FieldPointer =>
            $"{(CommandData == true ? "CDB" : "parameter data")} byte {FieldPointer}" + (BitPointer is { } b ? $" bit {b}" : ""),
        SenseKeySpecificKind.SegmentPointer =>
            $"{(SegmentDescriptor == true ? "segment descriptor" : "parameter list")} byte {FieldPointer}" + (BitPointer is { } b ? $" bit {b}" : ""),
        SenseKeySpecificKind.ProgressIndication => $"progress {ProgressPercent:0.0}%",
        SenseKeySpecificKind.ActualRetryCount => $"retry count {ActualRetryCount}",
        SenseKeySpecificKind.UnitAttentionConditionQueueOverflow => Overflow == true ? "unit attention queue overflow" : "no unit attention queue overflow",
        _ => $"sense key specific {Convert.ToHexString(Raw)}",
    };
}
