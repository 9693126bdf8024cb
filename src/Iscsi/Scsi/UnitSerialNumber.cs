namespace Iscsi.Scsi;

/// <summary>Unit Serial Number page, 80h (SPC-5 7.7.18): bytes 4.. PRODUCT SERIAL NUMBER, ASCII.</summary>
public sealed class UnitSerialNumber
{
    private UnitSerialNumber(string serialNumber) => SerialNumber = serialNumber;

    /// <summary>The serial number, space/NUL padding trimmed.</summary>
    public string SerialNumber { get; }

    public static UnitSerialNumber Parse(ReadOnlySpan<byte> data)
        => new(ScsiData.TrimmedAscii(VpdPage.Body(data, VpdPage.UnitSerialNumber, "Unit Serial Number")));

    public override string ToString() => SerialNumber;
}
