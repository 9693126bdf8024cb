using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>Builds the UNMAP parameter list (SBC-4 5.36.2).</summary>
/// <remarks><code>
/// 0-1 | UNMAP DATA LENGTH (n-1)
/// 2-3 | UNMAP BLOCK DESCRIPTOR DATA LENGTH (n-7)
/// 4-7 | reserved
/// 8-  | descriptors, 16 bytes each: 0-7 LBA, 8-11 NUMBER OF LOGICAL BLOCKS, 12-15 reserved
/// </code></remarks>
public static class UnmapParameterList
{
    private const int HeaderLength = 8;
    private const int DescriptorLength = 16;
    // The UNMAP CDB's PARAMETER LIST LENGTH is 16 bits.
    private const int MaxDescriptors = (ushort.MaxValue - HeaderLength) / DescriptorLength;

    public static byte[] Build(IEnumerable<(ulong lba, uint blocks)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var list = ranges.ToList();
        if (list.Count == 0)
            throw new IscsiArgumentException("UnmapRangesEmpty", "UNMAP needs at least one (LBA, blocks) range.");
        if (list.Count > MaxDescriptors)
            throw new IscsiArgumentException("UnmapTooManyRanges", $"{list.Count} UNMAP ranges exceed the {MaxDescriptors} one parameter list can carry.");
        var data = new byte[HeaderLength + DescriptorLength * list.Count];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(data.Length - 2));
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), (ushort)(data.Length - HeaderLength));
        for (int i = 0; i < list.Count; i++)
        {
            var d = data.AsSpan(HeaderLength + i * DescriptorLength);
            BinaryPrimitives.WriteUInt64BigEndian(d, list[i].lba);
            BinaryPrimitives.WriteUInt32BigEndian(d[8..], list[i].blocks);
        }
        return data;
    }
}
