using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>VPD page codes and the common 4-byte VPD header (SPC-5 7.7.1).</summary>
/// <remarks><code>
/// 0   | PERIPHERAL QUALIFIER (7-5) | PERIPHERAL DEVICE TYPE (4-0) |
/// 1   | PAGE CODE                                                 |
/// 2-3 | PAGE LENGTH (n-3)                                         |
/// </code></remarks>
public static class VpdPage
{
    public const byte SupportedPages = 0x00;
    public const byte UnitSerialNumber = 0x80;
    public const byte DeviceIdentification = 0x83;
    public const byte BlockLimits = 0xB0;
    public const byte BlockDeviceCharacteristics = 0xB1;
    public const byte LogicalBlockProvisioning = 0xB2;

    public const int HeaderLength = 4;
    private const int PageCodeOffset = 1;
    private const int PageLengthOffset = 2;

    /// <summary>PAGE LENGTH + 4: the size to allocate to get the whole page.</summary>
    public static int FullLength(ReadOnlySpan<byte> page)
    {
        ScsiData.RequireLength(page, HeaderLength, "VPD page header");
        return HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(page[PageLengthOffset..]);
    }

    /// <summary>Checks the header names the page expected and returns the page body (bytes 4..), cut to PAGE LENGTH.</summary>
    internal static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> page, byte expectedPageCode, string name)
    {
        ScsiData.RequireLength(page, HeaderLength, $"{name} VPD page");
        if (page[PageCodeOffset] != expectedPageCode)
            throw ScsiData.Malformed($"Expected VPD page 0x{expectedPageCode:X2} ({name}) but the data is page 0x{page[PageCodeOffset]:X2}.");
        int full = FullLength(page);
        return page[HeaderLength..Math.Min(full, page.Length)];
    }
}
