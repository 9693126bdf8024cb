namespace Iscsi.Scsi;

/// <summary>PERIPHERAL DEVICE TYPE (SPC-5 table 146). Member names read well as they are; <see cref="PeripheralDeviceTypeNames.Describe"/>
/// gives the standard's wording.</summary>
public enum PeripheralDeviceType : byte
{
    DirectAccessBlock = 0x00,
    SequentialAccess = 0x01,
    Printer = 0x02,
    Processor = 0x03,
    WriteOnce = 0x04,
    CdDvd = 0x05,
    Scanner = 0x06,
    OpticalMemory = 0x07,
    MediaChanger = 0x08,
    Communications = 0x09,
    StorageArrayController = 0x0C,
    EnclosureServices = 0x0D,
    SimplifiedDirectAccess = 0x0E,
    OpticalCardReaderWriter = 0x0F,
    BridgeController = 0x10,
    ObjectBasedStorage = 0x11,
    AutomationDriveInterface = 0x12,
    SecurityManager = 0x13,
    HostManagedZonedBlock = 0x14,
    WellKnownLogicalUnit = 0x1E,
    Unknown = 0x1F,
}
