namespace Iscsi.Scsi;

/// <summary>Human wording of <see cref="PeripheralDeviceType"/> values.</summary>
public static class PeripheralDeviceTypeNames
{
    public static string Describe(this PeripheralDeviceType type) => type switch
    {
        PeripheralDeviceType.DirectAccessBlock => "Direct access block device",
        PeripheralDeviceType.SequentialAccess => "Sequential access device",
        PeripheralDeviceType.Printer => "Printer",
        PeripheralDeviceType.Processor => "Processor",
        PeripheralDeviceType.WriteOnce => "Write-once device",
        PeripheralDeviceType.CdDvd => "CD/DVD device",
        PeripheralDeviceType.Scanner => "Scanner",
        PeripheralDeviceType.OpticalMemory => "Optical memory device",
        PeripheralDeviceType.MediaChanger => "Media changer",
        PeripheralDeviceType.Communications => "Communications device",
        PeripheralDeviceType.StorageArrayController => "Storage array controller",
        PeripheralDeviceType.EnclosureServices => "Enclosure services device",
        PeripheralDeviceType.SimplifiedDirectAccess => "Simplified direct-access device",
        PeripheralDeviceType.OpticalCardReaderWriter => "Optical card reader/writer",
        PeripheralDeviceType.BridgeController => "Bridge controller",
        PeripheralDeviceType.ObjectBasedStorage => "Object-based storage device",
        PeripheralDeviceType.AutomationDriveInterface => "Automation/drive interface",
        PeripheralDeviceType.SecurityManager => "Security manager device",
        PeripheralDeviceType.HostManagedZonedBlock => "Host managed zoned block device",
        PeripheralDeviceType.WellKnownLogicalUnit => "Well known logical unit",
        PeripheralDeviceType.Unknown => "Unknown or no device type",
        _ => $"Device type 0x{(byte)type:X2}",
    };
}
