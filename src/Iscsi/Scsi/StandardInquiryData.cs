using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>Standard INQUIRY data (SPC-5 6.7.2).</summary>
/// <remarks><code>
///  0     | PERIPHERAL QUALIFIER (7-5) | PERIPHERAL DEVICE TYPE (4-0) |
///  1     | RMB (7) | LU_CONG (6)                                     |
///  2     | VERSION                                                   |
///  3     | NORMACA (5) | HISUP (4) | RESPONSE DATA FORMAT (3-0)      |
///  4     | ADDITIONAL LENGTH (n-4)                                   |
///  5     | SCCS (7) | ACC (6) | TPGS (5-4) | 3PC (3) | PROTECT (0)   |
///  6     | ENCSERV (6) | MULTIP (4)                                  |
///  7     | CMDQUE (1)                                                |
///  8-15  | T10 VENDOR IDENTIFICATION                                 |
///  16-31 | PRODUCT IDENTIFICATION                                    |
///  32-35 | PRODUCT REVISION LEVEL                                    |
///  58-73 | VERSION DESCRIPTOR 1..8 (2 bytes each)                    |
/// </code>
/// A short allocation length cuts the data anywhere after byte 4: missing fields read as empty or zero.
/// </remarks>
public sealed class StandardInquiryData
{
    private const int HeaderLength = 5;
    private const int AdditionalLengthOffset = 4;
    private const int VendorOffset = 8, VendorLength = 8;
    private const int ProductOffset = 16, ProductLength = 16;
    private const int RevisionOffset = 32, RevisionLength = 4;
    private const int VersionDescriptorsOffset = 58, VersionDescriptorCount = 8;

    private StandardInquiryData() { }

    public byte PeripheralQualifier { get; private init; }
    public PeripheralDeviceType DeviceType { get; private init; }
    public bool Removable { get; private init; }
    public bool LuCongregate { get; private init; }
    /// <summary>VERSION: the SPC standard claimed (e.g. 6 = SPC-4, 7 = SPC-5).</summary>
    public byte Version { get; private init; }
    public bool NormAca { get; private init; }
    public bool HiSup { get; private init; }
    public byte ResponseDataFormat { get; private init; }
    /// <summary>ADDITIONAL LENGTH: the data is AdditionalLength + 5 bytes in full.</summary>
    public byte AdditionalLength { get; private init; }
    public bool Sccs { get; private init; }
    public bool Acc { get; private init; }
    /// <summary>TPGS: 0 no ALUA, 1 implicit, 2 explicit, 3 both.</summary>
    public byte Tpgs { get; private init; }
    public bool ThirdPartyCopy { get; private init; }
    public bool Protect { get; private init; }
    public bool EncServ { get; private init; }
    public bool MultiP { get; private init; }
    public bool Cmdque { get; private init; }
    public string VendorId { get; private init; } = "";
    public string ProductId { get; private init; } = "";
    public string ProductRevision { get; private init; } = "";
    /// <summary>Non-zero VERSION DESCRIPTOR values (standards the device claims).</summary>
    public IReadOnlyList<ushort> VersionDescriptors { get; private init; } = [];
    /// <summary>Total length the device has (AdditionalLength + 5): re-read with this allocation if larger than what arrived.</summary>
    public int FullLength => AdditionalLength + HeaderLength;

    public static StandardInquiryData Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, HeaderLength, "Standard INQUIRY data");
        byte additional = data[AdditionalLengthOffset];
        data = data[..Math.Min(data.Length, HeaderLength + additional)];

        var versions = new List<ushort>();
        for (int i = 0; i < VersionDescriptorCount; i++)
        {
            ushort v = ScsiData.U16At(data, VersionDescriptorsOffset + 2 * i);
            if (v != 0) versions.Add(v);
        }

        return new StandardInquiryData
        {
            PeripheralQualifier = (byte)(data[0] >> 5),
            DeviceType = (PeripheralDeviceType)(data[0] & 0x1F),
            Removable = (data[1] & 0x80) != 0,
            LuCongregate = (data[1] & 0x40) != 0,
            Version = data[2],
            NormAca = (data[3] & 0x20) != 0,
            HiSup = (data[3] & 0x10) != 0,
            ResponseDataFormat = (byte)(data[3] & 0x0F),
            AdditionalLength = additional,
            Sccs = ScsiData.BitAt(data, 5, 7),
            Acc = ScsiData.BitAt(data, 5, 6),
            Tpgs = (byte)(ScsiData.ByteAt(data, 5) >> 4 & 0x03),
            ThirdPartyCopy = ScsiData.BitAt(data, 5, 3),
            Protect = ScsiData.BitAt(data, 5, 0),
            EncServ = ScsiData.BitAt(data, 6, 6),
            MultiP = ScsiData.BitAt(data, 6, 4),
            Cmdque = ScsiData.BitAt(data, 7, 1),
            VendorId = ScsiData.TrimmedAscii(ScsiData.SliceAvailable(data, VendorOffset, VendorLength)),
            ProductId = ScsiData.TrimmedAscii(ScsiData.SliceAvailable(data, ProductOffset, ProductLength)),
            ProductRevision = ScsiData.TrimmedAscii(ScsiData.SliceAvailable(data, RevisionOffset, RevisionLength)),
            VersionDescriptors = versions,
        };
    }

    public override string ToString() => $"{VendorId} {ProductId} {ProductRevision} ({DeviceType})";
}
