using Iscsi;
using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// READ CAPACITY data from SBC-4 tables 74/78, REPORT LUNS data from SPC-5 table 162.
public class CapacityAndLunsTests
{
    [Fact]
    public void ReadCapacity10()
    {
        var c = ReadCapacity10Data.Parse(Bytes("00 00 FF FF 00 00 02 00"));
        Assert.Equal(65535u, c.LastLba);
        Assert.Equal(512u, c.BlockLength);
        Assert.Equal(65536UL, c.BlockCount);
        Assert.Equal(33554432UL, c.SizeBytes);
        Assert.False(c.NeedsReadCapacity16);
        var common = ReadCapacityData.From(c);
        Assert.Equal("READ CAPACITY(10)", common.Source);
        Assert.Equal(33554432UL, common.SizeBytes);
        Assert.False(common.ThinProvisioned);
    }

    [Fact]
    public void ReadCapacity10_Overflow_SaysUseSixteen()
        => Assert.True(ReadCapacity10Data.Parse(Bytes("FF FF FF FF 00 00 02 00")).NeedsReadCapacity16);

    [Fact]
    public void ReadCapacity10_Short_IsMalformed()
        => Assert.Equal("ScsiDataMalformed", Assert.Throws<IscsiProtocolException>(() => ReadCapacity10Data.Parse(Bytes("00 00 FF FF 00 00 02"))).ErrorId);

    [Fact]
    public void ReadCapacity16_AllFields()
    {
        var c = ReadCapacity16Data.Parse(Bytes(
            "00 00 00 01 00 00 00 00" + // last LBA 1_0000_0000h
            "00 00 10 00" +             // 4096-byte blocks
            "13" +                      // RC BASIS 01b, P_TYPE 001b, PROT_EN
            "63" +                      // P_I_EXPONENT 6, 2^3 logical per physical
            "C0 07" +                   // LBPME, LBPRZ, lowest aligned LBA 7
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
        Assert.Equal(0x1_0000_0000UL, c.LastLba);
        Assert.Equal(0x1_0000_0001UL, c.BlockCount);
        Assert.Equal(4096u, c.BlockLength);
        Assert.Equal(17592186048512UL, c.SizeBytes);
        Assert.Equal(1, c.RcBasis);
        Assert.True(c.ProtectionEnabled);
        Assert.Equal(2, c.ProtectionType);
        Assert.Equal(6, c.PiExponent);
        Assert.Equal(3, c.LogicalBlocksPerPhysicalBlockExponent);
        Assert.Equal(32768UL, c.PhysicalBlockLength);
        Assert.True(c.Lbpme);
        Assert.True(c.Lbprz);
        Assert.Equal(7, c.LowestAlignedLba);

        var common = ReadCapacityData.From(c);
        Assert.True(common.ThinProvisioned);
        Assert.Equal(4096, common.BlockSize);
        Assert.Equal("READ CAPACITY(16)", common.Source);
    }

    [Fact]
    public void ReadCapacity16_TwelveBytes_FlagsZero()
    {
        var c = ReadCapacity16Data.Parse(Bytes("00 00 00 00 00 00 07 FF 00 00 02 00"));
        Assert.Equal(2048UL, c.BlockCount);
        Assert.Equal(0, c.ProtectionType);
        Assert.False(c.Lbpme);
    }

    [Fact]
    public void ReadCapacity16_ImpossibleSize_IsMalformed()
        => Assert.Equal("ScsiDataMalformed",
            Assert.Throws<IscsiProtocolException>(() => ReadCapacity16Data.Parse(Bytes("FF FF FF FF FF FF FF FF 00 00 02 00"))).ErrorId);

    [Fact]
    public void ReportLuns_PeripheralAndFlat()
    {
        var r = ReportLunsData.Parse(Bytes(
            "00 00 00 18 00 00 00 00" +
            "00 00 00 00 00 00 00 00" +
            "00 01 00 00 00 00 00 00" +
            "41 00 00 00 00 00 00 00")); // flat space LUN 256
        Assert.Equal(new[] { 0, 1, 256 }, r.Luns);
        Assert.Equal(0x4100_0000_0000_0000UL, r.RawLuns[2]);
        Assert.Equal(24u, r.LunListLength);
        Assert.False(r.IsTruncated);
    }

    [Fact]
    public void ReportLuns_Truncated_TellsRequiredAllocation()
    {
        var r = ReportLunsData.Parse(Bytes("00 00 00 18 00 00 00 00 00 00 00 00 00 00 00 00"));
        Assert.Equal(new[] { 0 }, r.Luns);
        Assert.True(r.IsTruncated);
        Assert.Equal(32, r.RequiredAllocationLength);
    }

    [Fact]
    public void ReportLuns_ListLengthNotMultipleOf8_IsMalformed()
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => ReportLunsData.Parse(Bytes("00 00 00 05 00 00 00 00")));
        Assert.Equal("ScsiDataMalformed", ex.ErrorId);
        Assert.Contains("5", ex.Message);
    }
}
