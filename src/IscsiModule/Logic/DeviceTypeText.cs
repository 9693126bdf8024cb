using Iscsi.Scsi;

namespace IscsiModule.Logic;

/// <summary>A peripheral device type in at most ten characters, for the LUN table (the list view and the
/// DeviceType property keep the full name).</summary>
public static class DeviceTypeText
{
    public static string Short(PeripheralDeviceType type) => type switch
    {
        PeripheralDeviceType.DirectAccessBlock => "Disk",
        PeripheralDeviceType.SequentialAccess => "Tape",
        PeripheralDeviceType.Processor => "Processor",
        PeripheralDeviceType.WriteOnce => "WORM",
        PeripheralDeviceType.CdDvd => "CD/DVD",
        PeripheralDeviceType.OpticalMemory => "Optical",
        PeripheralDeviceType.MediaChanger => "Changer",
        PeripheralDeviceType.StorageArrayController => "Controller",
        PeripheralDeviceType.EnclosureServices => "Enclosure",
        PeripheralDeviceType.SimplifiedDirectAccess => "RBC Disk",
        PeripheralDeviceType.HostManagedZonedBlock => "Zoned",
        PeripheralDeviceType.WellKnownLogicalUnit => "Well-known",
        _ => type.ToString().Length <= 10 ? type.ToString() : type.ToString()[..10],
    };
}
