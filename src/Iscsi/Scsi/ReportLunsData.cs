using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>REPORT LUNS parameter data (SPC-5 6.33.2).</summary>
/// <remarks><code>
/// 0-3 | LUN LIST LENGTH (n-7), in bytes |
/// 4-7 | reserved                        |
/// 8-n | LUNs, 8 bytes each              |
/// </code>
/// When the allocation was too small, fewer LUNs arrive than LUN LIST LENGTH announces:
/// <see cref="IsTruncated"/> and <see cref="RequiredAllocationLength"/> tell the caller to re-issue.
/// </remarks>
public sealed class ReportLunsData
{
    private const int HeaderLength = 8;
    private const int LunLength = 8;

    private ReportLunsData(uint lunListLength, IReadOnlyList<ulong> raw)
    {
        LunListLength = lunListLength;
        RawLuns = raw;
        Luns = raw.Select(LunEncoding.Decode).ToArray();
    }

    /// <summary>LUN LIST LENGTH as the target reported it (bytes of LUN entries it has).</summary>
    public uint LunListLength { get; }
    /// <summary>The 8-byte LUN fields that arrived.</summary>
    public IReadOnlyList<ulong> RawLuns { get; }
    /// <summary>LUN numbers decoded with <see cref="LunEncoding.Decode"/>.</summary>
    public IReadOnlyList<int> Luns { get; }
    public bool IsTruncated => (ulong)RawLuns.Count * LunLength < LunListLength;
    /// <summary>The allocation length that returns the whole list.</summary>
    public long RequiredAllocationLength => HeaderLength + (long)LunListLength;

    public static ReportLunsData Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, HeaderLength, "REPORT LUNS data");
        uint listLength = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (listLength % LunLength != 0)
            throw ScsiData.Malformed($"REPORT LUNS LUN LIST LENGTH {listLength} is not a multiple of 8.");
        long available = Math.Min(listLength, data.Length - HeaderLength);
        int count = (int)(available / LunLength);
        var raw = new ulong[count];
        for (int i = 0; i < count; i++)
            raw[i] = LunEncoding.Read(data.Slice(HeaderLength + i * LunLength, LunLength));
        return new ReportLunsData(listLength, raw);
    }
}
