using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>PERSISTENT RESERVE IN, READ KEYS parameter data (SPC-5 6.16.2).</summary>
/// <remarks><code>
/// 0-3 | PRGENERATION                       |
/// 4-7 | ADDITIONAL LENGTH (n-7), in bytes  |
/// 8-n | RESERVATION KEYs, 8 bytes each     |
/// </code></remarks>
public sealed class PersistentReserveKeys
{
    private const int HeaderLength = 8;
    private const int KeyLength = 8;

    private PersistentReserveKeys(uint generation, uint additionalLength, IReadOnlyList<ulong> keys)
    {
        Generation = generation;
        AdditionalLength = additionalLength;
        Keys = keys;
    }

    public uint Generation { get; }
    public uint AdditionalLength { get; }
    public IReadOnlyList<ulong> Keys { get; }
    public bool IsTruncated => (ulong)Keys.Count * KeyLength < AdditionalLength;
    public long RequiredAllocationLength => HeaderLength + (long)AdditionalLength;

    public static PersistentReserveKeys Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, HeaderLength, "PERSISTENT RESERVE IN READ KEYS data");
        uint generation = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint additional = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (additional % KeyLength != 0)
            throw ScsiData.Malformed($"READ KEYS ADDITIONAL LENGTH {additional} is not a multiple of 8.");
        int count = (int)(Math.Min(additional, data.Length - HeaderLength) / KeyLength);
        var keys = new ulong[count];
        for (int i = 0; i < count; i++)
            keys[i] = BinaryPrimitives.ReadUInt64BigEndian(data[(HeaderLength + i * KeyLength)..]);
        return new PersistentReserveKeys(generation, additional, keys);
    }
}
