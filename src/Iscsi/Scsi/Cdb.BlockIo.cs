using System.Buffers.Binary;

namespace Iscsi.Scsi;

public static partial class Cdb
{
    private const byte DpoBit = 0x10;
    private const byte FuaBit = 0x08;
    private const ulong TenByteLbaLimit = 1UL << 32;
    private const uint TenByteMaxBlocks = ushort.MaxValue;

    /// <summary>True when a (10) CDB can address [lba, lba+blocks): LBA and end fit 32 bits, count fits 16.</summary>
    public static bool FitsTenByteCdb(ulong lba, uint blocks)
        => blocks <= TenByteMaxBlocks && lba < TenByteLbaLimit && lba + blocks <= TenByteLbaLimit;

    /// <summary>READ(10) (SBC-4 5.15).</summary>
    /// <remarks><code>
    /// 0 | 28h | 1 | RDPROTECT (7-5) DPO (4) FUA (3) | 2-5 | LBA | 6 | GROUP | 7-8 | TRANSFER LENGTH | 9 | CONTROL
    /// </code></remarks>
    public static byte[] Read10(ulong lba, uint blocks, bool fua = false, bool dpo = false)
        => BlockIo10(ScsiOpcodes.Read10, "READ(10)", lba, blocks, fua, dpo);

    /// <summary>WRITE(10) (SBC-4 5.40): same layout as READ(10) with WRPROTECT.</summary>
    public static byte[] Write10(ulong lba, uint blocks, bool fua = false, bool dpo = false)
        => BlockIo10(ScsiOpcodes.Write10, "WRITE(10)", lba, blocks, fua, dpo);

    /// <summary>READ(16) (SBC-4 5.17).</summary>
    /// <remarks><code>
    /// 0 | 88h | 1 | RDPROTECT (7-5) DPO (4) FUA (3) | 2-9 | LBA | 10-13 | TRANSFER LENGTH | 14 | GROUP | 15 | CONTROL
    /// </code></remarks>
    public static byte[] Read16(ulong lba, uint blocks, bool fua = false, bool dpo = false)
        => BlockIo16(ScsiOpcodes.Read16, "READ(16)", lba, blocks, (byte)((dpo ? DpoBit : 0) | (fua ? FuaBit : 0)));

    /// <summary>WRITE(16) (SBC-4 5.42): same layout as READ(16) with WRPROTECT.</summary>
    public static byte[] Write16(ulong lba, uint blocks, bool fua = false, bool dpo = false)
        => BlockIo16(ScsiOpcodes.Write16, "WRITE(16)", lba, blocks, (byte)((dpo ? DpoBit : 0) | (fua ? FuaBit : 0)));

    /// <summary>READ(10) when the range fits it (end at or below 2^32, at most 65535 blocks), else READ(16).</summary>
    public static byte[] Read(ulong lba, uint blocks, bool fua = false, bool dpo = false)
        => FitsTenByteCdb(lba, blocks) ? Read10(lba, blocks, fua, dpo) : Read16(lba, blocks, fua, dpo);

    /// <summary>WRITE(10) when the range fits it, else WRITE(16).</summary>
    public static byte[] Write(ulong lba, uint blocks, bool fua = false, bool dpo = false)
        => FitsTenByteCdb(lba, blocks) ? Write10(lba, blocks, fua, dpo) : Write16(lba, blocks, fua, dpo);

    /// <summary>SYNCHRONIZE CACHE(10) (SBC-4 5.32); blocks 0 means "to the end of the medium".</summary>
    /// <remarks><code>
    /// 0 | 35h | 1 | IMMED (bit 1) | 2-5 | LBA | 6 | GROUP | 7-8 | NUMBER OF LOGICAL BLOCKS | 9 | CONTROL
    /// </code></remarks>
    public static byte[] SynchronizeCache10(ulong lba = 0, uint blocks = 0, bool immed = false)
    {
        var cdb = BlockIo10(ScsiOpcodes.SynchronizeCache10, "SYNCHRONIZE CACHE(10)", lba, blocks, false, false);
        cdb[1] = (byte)(immed ? 0x02 : 0x00);
        return cdb;
    }

    /// <summary>SYNCHRONIZE CACHE(16) (SBC-4 5.33).</summary>
    /// <remarks><code>
    /// 0 | 91h | 1 | IMMED (bit 1) | 2-9 | LBA | 10-13 | NUMBER OF LOGICAL BLOCKS | 14 | GROUP | 15 | CONTROL
    /// </code></remarks>
    public static byte[] SynchronizeCache16(ulong lba = 0, uint blocks = 0, bool immed = false)
        => BlockIo16(ScsiOpcodes.SynchronizeCache16, "SYNCHRONIZE CACHE(16)", lba, blocks, (byte)(immed ? 0x02 : 0x00));

    /// <summary>VERIFY(16) (SBC-4 5.37); byteCheck is the 2-bit BYTCHK field (0 = medium check only).</summary>
    /// <remarks><code>
    /// 0 | 8Fh | 1 | VRPROTECT (7-5) DPO (4) BYTCHK (2-1) | 2-9 | LBA | 10-13 | VERIFICATION LENGTH | 14 | GROUP | 15 | CONTROL
    /// </code></remarks>
    public static byte[] Verify16(ulong lba, uint blocks, byte byteCheck = 0, bool dpo = false)
    {
        if (byteCheck > 3)
            throw new IscsiArgumentException("ByteCheckInvalid", $"VERIFY(16) BYTCHK {byteCheck} is outside 0..3.");
        return BlockIo16(ScsiOpcodes.Verify16, "VERIFY(16)", lba, blocks, (byte)((dpo ? DpoBit : 0) | byteCheck << 1));
    }

    /// <summary>WRITE SAME(16) (SBC-4 5.50).</summary>
    /// <remarks><code>
    /// 0 | 93h | 1 | WRPROTECT (7-5) ANCHOR (4) UNMAP (3) NDOB (0) | 2-9 | LBA | 10-13 | NUMBER OF LOGICAL BLOCKS | 14 | GROUP | 15 | CONTROL
    /// </code></remarks>
    public static byte[] WriteSame16(ulong lba, uint blocks, bool unmap = false, bool anchor = false, bool ndob = false)
        => BlockIo16(ScsiOpcodes.WriteSame16, "WRITE SAME(16)", lba, blocks,
            (byte)((anchor ? 0x10 : 0) | (unmap ? 0x08 : 0) | (ndob ? 0x01 : 0)));

    /// <summary>COMPARE AND WRITE (SBC-4 5.3): the data-out holds 2 x blocks blocks (verify data, then write data).</summary>
    /// <remarks><code>
    /// 0 | 89h | 1 | WRPROTECT (7-5) DPO (4) FUA (3) | 2-9 | LBA | 10-12 | reserved | 13 | NUMBER OF LOGICAL BLOCKS | 14 | GROUP | 15 | CONTROL
    /// </code></remarks>
    public static byte[] CompareAndWrite(ulong lba, byte blocks, bool fua = false, bool dpo = false)
    {
        var cdb = new byte[16];
        cdb[0] = ScsiOpcodes.CompareAndWrite;
        cdb[1] = (byte)((dpo ? DpoBit : 0) | (fua ? FuaBit : 0));
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        cdb[13] = blocks;
        return cdb;
    }

    /// <summary>UNMAP (SBC-4 5.36); the parameter list comes from <see cref="UnmapParameterList.Build"/>.</summary>
    /// <remarks><code>
    /// 0 | 42h | 1 | ANCHOR (bit 0) | 6 | GROUP | 7-8 | PARAMETER LIST LENGTH | 9 | CONTROL
    /// </code></remarks>
    public static byte[] Unmap(ushort parameterListLength, bool anchor = false)
    {
        var cdb = new byte[10];
        cdb[0] = ScsiOpcodes.Unmap;
        cdb[1] = (byte)(anchor ? 0x01 : 0x00);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), parameterListLength);
        return cdb;
    }

    private static byte[] BlockIo10(byte opcode, string name, ulong lba, uint blocks, bool fua, bool dpo)
    {
        if (lba >= TenByteLbaLimit)
            throw new IscsiArgumentException("LbaOutOfRange", $"LBA {lba} does not fit the 32-bit LBA field of {name}; use the (16) form.");
        if (blocks > TenByteMaxBlocks)
            throw new IscsiArgumentException("BlockCountOutOfRange", $"{blocks} blocks do not fit the 16-bit length field of {name} (at most 65535).");
        var cdb = new byte[10];
        Fill10(cdb, opcode, lba, blocks, (byte)((dpo ? DpoBit : 0) | (fua ? FuaBit : 0)));
        return cdb;
    }

    private static void Fill10(Span<byte> cdb, byte opcode, ulong lba, uint blocks, byte flags)
    {
        cdb.Clear();
        cdb[0] = opcode;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(cdb[2..], (uint)lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb[7..], (ushort)blocks);
    }

    private static void Fill16(Span<byte> cdb, byte opcode, ulong lba, uint blocks, byte flags)
    {
        cdb.Clear();
        cdb[0] = opcode;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb[2..], lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb[10..], blocks);
    }

    /// <summary>The CDB <see cref="Read"/> or <see cref="Write"/> would build, written into one of the two arrays the
    /// caller keeps (10 and 16 bytes long) instead of a new one: for a BlockIoChannel, which must not allocate per I/O.
    /// Returns the array used.</summary>
    internal static byte[] BlockIoInto(bool write, ulong lba, uint blocks, byte[] cdb10, byte[] cdb16)
    {
        if (FitsTenByteCdb(lba, blocks))
        {
            Fill10(cdb10, write ? ScsiOpcodes.Write10 : ScsiOpcodes.Read10, lba, blocks, 0);
            return cdb10;
        }
        if (blocks > 0 && lba > ulong.MaxValue - blocks + 1)
            throw new IscsiArgumentException("LbaOutOfRange", $"LBA {lba} plus {blocks} blocks runs past the 64-bit LBA space of {(write ? "WRITE(16)" : "READ(16)")}.");
        Fill16(cdb16, write ? ScsiOpcodes.Write16 : ScsiOpcodes.Read16, lba, blocks, 0);
        return cdb16;
    }

    private static byte[] BlockIo16(byte opcode, string name, ulong lba, uint blocks, byte flags)
    {
        // An LBA range that wraps past 2^64 cannot exist on any device.
        if (blocks > 0 && lba > ulong.MaxValue - blocks + 1)
            throw new IscsiArgumentException("LbaOutOfRange", $"LBA {lba} plus {blocks} blocks runs past the 64-bit LBA space of {name}.");
        var cdb = new byte[16];
        Fill16(cdb, opcode, lba, blocks, flags);
        return cdb;
    }
}
