namespace Iscsi.Scsi;

// CONTRACT STUB: the SCSI-layer work replaces the body; keep these member names.
/// <summary>Decoded sense data, fixed (70h/71h) or descriptor (72h/73h) format.</summary>
public sealed class SenseData
{
    public byte ResponseCode { get; init; }
    public bool IsDescriptorFormat { get; init; }
    public bool IsDeferred { get; init; }
    public SenseKey SenseKey { get; init; }
    public byte Asc { get; init; }
    public byte Ascq { get; init; }
    public string Description { get; init; } = "";
    public ulong? Information { get; init; }
    public ulong? CommandSpecificInformation { get; init; }
    public byte[] Raw { get; init; } = [];

    /// <summary>Decodes sense bytes; null when empty or not sense data at all.</summary>
    public static SenseData? Parse(ReadOnlySpan<byte> sense) => throw new NotImplementedException();
}
