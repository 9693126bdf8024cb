namespace Iscsi.Scsi;

/// <summary>CODE SET of a designation descriptor (SPC-5 table 617).</summary>
public enum DesignatorCodeSet : byte { Binary = 1, Ascii = 2, Utf8 = 3 }

/// <summary>ASSOCIATION: what the designator names (SPC-5 table 619).</summary>
public enum DesignatorAssociation : byte { LogicalUnit = 0, TargetPort = 1, TargetDevice = 2 }

/// <summary>DESIGNATOR TYPE (SPC-5 table 620).</summary>
public enum DesignatorType : byte
{
    VendorSpecific = 0x0,
    T10VendorId = 0x1,
    Eui64 = 0x2,
    Naa = 0x3,
    RelativeTargetPort = 0x4,
    TargetPortGroup = 0x5,
    LogicalUnitGroup = 0x6,
    Md5LogicalUnitIdentifier = 0x7,
    ScsiNameString = 0x8,
    ProtocolSpecificPortIdentifier = 0x9,
    Uuid = 0xA,
}
