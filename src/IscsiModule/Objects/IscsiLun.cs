using Iscsi.Scsi;

namespace IscsiModule;

/// <summary>One logical unit as Get-IscsiLun describes it (REPORT LUNS + INQUIRY + VPD 0x80/0x83 + READ CAPACITY).
/// Its Session and Lun properties bind by name to the I/O cmdlets' -Session and -Lun.</summary>
public sealed class IscsiLun
{
    internal IscsiLun(IscsiSessionInfo session, int lun, StandardInquiryData inquiry, string? serialNumber,
        IReadOnlyList<Designator> designators, ReadCapacityData? capacity, bool writeProtected)
    {
        Session = session;
        Lun = lun;
        DeviceType = inquiry.DeviceType;
        Vendor = inquiry.VendorId;
        Product = inquiry.ProductId;
        Revision = inquiry.ProductRevision;
        Removable = inquiry.Removable;
        SerialNumber = serialNumber;
        Designators = designators;
        BlockSize = capacity?.BlockSize;
        BlockCount = capacity?.BlockCount;
        Size = capacity?.SizeBytes;
        ThinProvisioned = capacity?.ThinProvisioned ?? false;
        WriteProtected = writeProtected;
    }

    public IscsiSessionInfo Session { get; }
    public string SessionIdentifier => Session.SessionIdentifier;
    public string NodeAddress => Session.NodeAddress;
    public int Lun { get; }
    public PeripheralDeviceType DeviceType { get; }
    public string Vendor { get; }
    public string Product { get; }
    public string Revision { get; }
    public bool Removable { get; }
    /// <summary>VPD page 0x80; null when the unit has none.</summary>
    public string? SerialNumber { get; }
    /// <summary>VPD page 0x83 designators (NAA, EUI-64, T10 vendor id...).</summary>
    public IReadOnlyList<Designator> Designators { get; }
    /// <summary>Null for units without a capacity (a controller LUN, a tape).</summary>
    public int? BlockSize { get; }
    public ulong? BlockCount { get; }
    public ulong? Size { get; }
    /// <summary>MODE SENSE's WP bit: the unit refuses writes.</summary>
    public bool WriteProtected { get; }
    /// <summary>READ CAPACITY(16)'s LBPME bit.</summary>
    public bool ThinProvisioned { get; }

    public override string ToString() => $"{NodeAddress} LUN {Lun} {Vendor} {Product}".TrimEnd();
}
