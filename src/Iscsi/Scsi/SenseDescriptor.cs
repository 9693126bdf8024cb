namespace Iscsi.Scsi;

/// <summary>One descriptor of descriptor-format sense data (SPC-5 4.4.2): its type and its raw bytes
/// (type and ADDITIONAL LENGTH bytes included).</summary>
public sealed class SenseDescriptor
{
    internal SenseDescriptor(byte type, byte[] raw)
    {
        Type = type;
        Raw = raw;
    }

    /// <summary>DESCRIPTOR TYPE: 00h information, 01h command-specific, 02h sense key specific, 03h FRU,
    /// 04h stream commands, 05h block commands, 06h OSD..., 80h-FFh vendor specific.</summary>
    public byte Type { get; }

    /// <summary>The whole descriptor as received (may be short if the sense data was cut off).</summary>
    public byte[] Raw { get; }

    public override string ToString() => $"Descriptor {Type:X2}h ({Raw.Length} bytes)";
}
