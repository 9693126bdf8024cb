namespace Iscsi.Scsi;

/// <summary>NOMINAL FORM FACTOR (SBC-4 table 263).</summary>
public enum NominalFormFactor : byte
{
    NotReported = 0,
    FiveAndQuarterInch = 1,
    ThreeAndHalfInch = 2,
    TwoAndHalfInch = 3,
    OnePointEightInch = 4,
    LessThanOnePointEightInch = 5,
}

/// <summary>Block Device Characteristics page, B1h (SBC-4 6.6.2).</summary>
/// <remarks><code>
/// 4-5 | MEDIUM ROTATION RATE (0 not reported, 1 non-rotating, else rpm) |
/// 6   | PRODUCT TYPE                                                     |
/// 7   | WABEREQ (7-6) | WACEREQ (5-4) | NOMINAL FORM FACTOR (3-0)        |
/// 8   | ZONED (5-4) | FUAB (1) | VBULS (0)                             |
/// </code></remarks>
public sealed class BlockDeviceCharacteristics
{
    private BlockDeviceCharacteristics() { }

    public ushort MediumRotationRate { get; private init; }
    /// <summary>True for SSDs and other media that do not spin (rotation rate 0001h).</summary>
    public bool IsNonRotating => MediumRotationRate == 1;
    public byte ProductType { get; private init; }
    public NominalFormFactor FormFactor { get; private init; }
    public byte Zoned { get; private init; }
    public bool Fuab { get; private init; }
    public bool Vbuls { get; private init; }

    public static BlockDeviceCharacteristics Parse(ReadOnlySpan<byte> data)
    {
        var body = VpdPage.Body(data, VpdPage.BlockDeviceCharacteristics, "Block Device Characteristics");
        return new BlockDeviceCharacteristics
        {
            MediumRotationRate = ScsiData.U16At(body, 0),
            ProductType = ScsiData.ByteAt(body, 2),
            FormFactor = (NominalFormFactor)(ScsiData.ByteAt(body, 3) & 0x0F),
            Zoned = (byte)(ScsiData.ByteAt(body, 4) >> 4 & 0x03),
            Fuab = ScsiData.BitAt(body, 4, 1),
            Vbuls = ScsiData.BitAt(body, 4, 0),
        };
    }
}
