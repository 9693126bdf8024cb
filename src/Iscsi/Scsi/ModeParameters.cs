using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>MODE SENSE(6)/(10) parameter data: header, block descriptors, pages (SPC-5 7.5.5).</summary>
/// <remarks><code>
/// (6) header:  0 MODE DATA LENGTH (n-1) | 1 MEDIUM TYPE | 2 DEVICE-SPECIFIC PARAMETER | 3 BLOCK DESCRIPTOR LENGTH
/// (10) header: 0-1 MODE DATA LENGTH (n-2) | 2 MEDIUM TYPE | 3 DEVICE-SPECIFIC PARAMETER | 4 LONGLBA (bit 0)
///              5 reserved | 6-7 BLOCK DESCRIPTOR LENGTH
/// device-specific parameter for direct-access devices (SBC-4 6.5.1): WP (7) | DPOFUA (4)
/// </code></remarks>
public sealed class ModeParameters
{
    private const int Header6Length = 4;
    private const int Header10Length = 8;

    private ModeParameters() { }

    public int ModeDataLength { get; private init; }
    public byte MediumType { get; private init; }
    public byte DeviceSpecificParameter { get; private init; }
    /// <summary>WP: the logical unit is write protected.</summary>
    public bool WriteProtected => (DeviceSpecificParameter & 0x80) != 0;
    /// <summary>DPOFUA: the DPO and FUA bits are supported.</summary>
    public bool DpoFua => (DeviceSpecificParameter & 0x10) != 0;
    public bool LongLba { get; private init; }
    public IReadOnlyList<ModeBlockDescriptor> BlockDescriptors { get; private init; } = [];
    public IReadOnlyList<ModePage> Pages { get; private init; } = [];

    public CachingModePage? Caching => Find(CachingModePage.Code) is { } p ? new CachingModePage(p) : null;
    public ControlModePage? Control => Find(ControlModePage.Code) is { } p ? new ControlModePage(p) : null;
    public ReadWriteErrorRecoveryModePage? ReadWriteErrorRecovery
        => Find(ReadWriteErrorRecoveryModePage.Code) is { } p ? new ReadWriteErrorRecoveryModePage(p) : null;
    public InformationalExceptionsModePage? InformationalExceptions
        => Find(InformationalExceptionsModePage.Code) is { } p ? new InformationalExceptionsModePage(p) : null;

    public ModePage? Find(byte pageCode, byte subpageCode = 0)
        => Pages.FirstOrDefault(p => p.PageCode == pageCode && p.SubpageCode == subpageCode);

    /// <summary>Decodes MODE SENSE(6) data.</summary>
    public static ModeParameters Parse6(ReadOnlySpan<byte> data) => Parse(data, modeSense10: false);

    /// <summary>Decodes MODE SENSE(10) data.</summary>
    public static ModeParameters Parse10(ReadOnlySpan<byte> data) => Parse(data, modeSense10: true);

    public static ModeParameters Parse(ReadOnlySpan<byte> data, bool modeSense10)
    {
        int headerLength = modeSense10 ? Header10Length : Header6Length;
        string name = modeSense10 ? "MODE SENSE(10) data" : "MODE SENSE(6) data";
        ScsiData.RequireLength(data, headerLength, name);

        int modeDataLength = modeSense10 ? BinaryPrimitives.ReadUInt16BigEndian(data) : data[0];
        int total = modeDataLength + (modeSense10 ? 2 : 1);
        if (total < headerLength)
            throw ScsiData.Malformed($"{name}: MODE DATA LENGTH {modeDataLength} is shorter than the header.");
        data = data[..Math.Min(total, data.Length)];

        byte mediumType = modeSense10 ? data[2] : data[1];
        byte deviceSpecific = modeSense10 ? data[3] : data[2];
        bool longLba = modeSense10 && (data[4] & 0x01) != 0;
        int blockDescriptorLength = modeSense10 ? BinaryPrimitives.ReadUInt16BigEndian(data[6..]) : data[3];
        int descriptorSize = longLba ? ModeBlockDescriptor.LongLength : ModeBlockDescriptor.ShortLength;
        if (blockDescriptorLength % descriptorSize != 0)
            throw ScsiData.Malformed($"{name}: BLOCK DESCRIPTOR LENGTH {blockDescriptorLength} is not a multiple of {descriptorSize}.");
        if (headerLength + blockDescriptorLength > total)
            throw ScsiData.Malformed($"{name}: BLOCK DESCRIPTOR LENGTH {blockDescriptorLength} runs past MODE DATA LENGTH {modeDataLength}.");

        var descriptors = new List<ModeBlockDescriptor>();
        int offset = headerLength;
        for (int end = headerLength + blockDescriptorLength; offset + descriptorSize <= Math.Min(end, data.Length); offset += descriptorSize)
            descriptors.Add(ModeBlockDescriptor.Parse(data[offset..], longLba));
        offset = headerLength + blockDescriptorLength;

        var pages = new List<ModePage>();
        while (offset + 2 <= data.Length)
        {
            var p = data[offset..];
            bool spf = (p[0] & 0x40) != 0;
            if (spf && p.Length < 4)
                break;
            int pageLength = spf ? BinaryPrimitives.ReadUInt16BigEndian(p[2..]) : p[1];
            int size = (spf ? 4 : 2) + pageLength;
            pages.Add(new ModePage(
                pageCode: (byte)(p[0] & 0x3F),
                subpageCode: spf ? p[1] : (byte)0,
                parametersSaveable: (p[0] & 0x80) != 0,
                subpageFormat: spf,
                pageLength: pageLength,
                raw: p[..Math.Min(size, p.Length)].ToArray()));
            offset += size;
        }

        return new ModeParameters
        {
            ModeDataLength = modeDataLength,
            MediumType = mediumType,
            DeviceSpecificParameter = deviceSpecific,
            LongLba = longLba,
            BlockDescriptors = descriptors,
            Pages = pages,
        };
    }
}
