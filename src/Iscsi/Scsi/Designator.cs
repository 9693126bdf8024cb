using System.Buffers.Binary;
using System.Text;

namespace Iscsi.Scsi;

/// <summary>One designation descriptor of the Device Identification VPD page (SPC-5 7.7.6.1).</summary>
/// <remarks><code>
/// 0   | PROTOCOL IDENTIFIER (7-4) | CODE SET (3-0)               |
/// 1   | PIV (7) | ASSOCIATION (5-4) | DESIGNATOR TYPE (3-0)      |
/// 2   | reserved                                                 |
/// 3   | DESIGNATOR LENGTH (n-3)                                  |
/// 4-n | DESIGNATOR                                               |
/// </code></remarks>
public sealed class Designator
{
    internal const int HeaderLength = 4;

    internal Designator(byte protocolIdentifier, DesignatorCodeSet codeSet, bool piv, DesignatorAssociation association,
        DesignatorType type, byte[] identifier)
    {
        ProtocolIdentifier = protocolIdentifier;
        CodeSet = codeSet;
        Piv = piv;
        Association = association;
        DesignatorType = type;
        Identifier = identifier;
        Display = MakeDisplay();
    }

    /// <summary>PROTOCOL IDENTIFIER (5 = iSCSI); meaningful only when <see cref="Piv"/> is set.</summary>
    public byte ProtocolIdentifier { get; }
    public DesignatorCodeSet CodeSet { get; }
    /// <summary>PIV: the protocol identifier field is valid (for target port / device associations).</summary>
    public bool Piv { get; }
    public DesignatorAssociation Association { get; }
    public DesignatorType DesignatorType { get; }
    /// <summary>The DESIGNATOR bytes.</summary>
    public byte[] Identifier { get; }
    /// <summary>A readable form: "naa.&lt;hex&gt;", "eui.&lt;hex&gt;", the T10 vendor id text, the SCSI name string...</summary>
    public string Display { get; }

    private string MakeDisplay()
    {
        ReadOnlySpan<byte> id = Identifier;
        switch (DesignatorType)
        {
            case DesignatorType.Naa:
                return "naa." + ScsiData.Hex(id);
            case DesignatorType.Eui64:
                return "eui." + ScsiData.Hex(id);
            case DesignatorType.T10VendorId:
                // 8 bytes T10 VENDOR IDENTIFICATION then vendor specific text: keep both, trimmed.
                return ScsiData.TrimmedAscii(id);
            case DesignatorType.ScsiNameString:
                return Encoding.UTF8.GetString(id).TrimEnd('\0', ' ');
            case DesignatorType.Md5LogicalUnitIdentifier:
                return "md5." + ScsiData.Hex(id);
            case DesignatorType.Uuid when id.Length >= 18:
                // 0: UUID type (bits 7-4), 1 reserved, 2-17 the RFC 4122 UUID in network order.
                return "uuid." + new Guid(id.Slice(2, 16), bigEndian: true).ToString();
            case DesignatorType.RelativeTargetPort when id.Length >= 4:
                return $"relative target port {BinaryPrimitives.ReadUInt16BigEndian(id[2..])}";
            case DesignatorType.TargetPortGroup when id.Length >= 4:
                return $"target port group {BinaryPrimitives.ReadUInt16BigEndian(id[2..])}";
            case DesignatorType.LogicalUnitGroup when id.Length >= 4:
                return $"logical unit group {BinaryPrimitives.ReadUInt16BigEndian(id[2..])}";
            default:
                return CodeSet is DesignatorCodeSet.Ascii or DesignatorCodeSet.Utf8
                    ? Encoding.UTF8.GetString(id).TrimEnd('\0', ' ')
                    : ScsiData.Hex(id);
        }
    }

    public override string ToString() => $"{Association} {DesignatorType}: {Display}";
}
