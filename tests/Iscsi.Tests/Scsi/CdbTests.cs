using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// Each expected CDB is written field by field from the SPC-5 / SBC-4 CDB tables, not from our builder.
public class CdbTests
{
    [Fact]
    public void TestUnitReady_IsSixZeroBytes() => Assert.Equal(Bytes("00 00 00 00 00 00"), Cdb.TestUnitReady());

    [Fact]
    public void Inquiry_Standard_AllocationInBytes3And4()
        => Assert.Equal(Bytes("12 00 00 00 FF 00"), Cdb.Inquiry(false, 0, 255));

    [Fact]
    public void Inquiry_Vpd83_SetsEvpdAndPage()
        => Assert.Equal(Bytes("12 01 83 01 00 00"), Cdb.Inquiry(true, 0x83, 0x0100));

    [Fact]
    public void Inquiry_PageWithoutEvpd_Throws()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => Cdb.Inquiry(false, 0x80, 255));
        Assert.Equal("InquiryPageWithoutEvpd", ex.ErrorId);
        Assert.Contains("0x80", ex.Message);
    }

    [Fact]
    public void ReadCapacity10_Layout() => Assert.Equal(Bytes("25 00 00 00 00 00 00 00 00 00"), Cdb.ReadCapacity10());

    [Fact]
    public void ReadCapacity16_ServiceAction10_AllocationAt10()
        => Assert.Equal(Bytes("9E 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00"), Cdb.ReadCapacity16(32));

    [Fact]
    public void ReportLuns_SelectReportAndAllocation()
        => Assert.Equal(Bytes("A0 00 02 00 00 00 00 00 10 00 00 00"), Cdb.ReportLuns(2, 4096));

    [Fact]
    public void ReportLuns_AllocationBelow16_Throws()
        => Assert.Equal("AllocationLengthTooSmall", Assert.Throws<IscsiArgumentException>(() => Cdb.ReportLuns(0, 15)).ErrorId);

    [Fact]
    public void Read10_FuaDpo_LbaAndLength()
        => Assert.Equal(Bytes("28 18 12 34 56 78 00 00 08 00"), Cdb.Read10(0x12345678, 8, fua: true, dpo: true));

    [Fact]
    public void Write10_FuaOnly()
        => Assert.Equal(Bytes("2A 08 00 00 00 01 00 FF FF 00"), Cdb.Write10(1, 65535, fua: true));

    [Fact]
    public void Read10_ZeroBlocksIsAllowed()
        => Assert.Equal(Bytes("28 00 00 00 00 00 00 00 00 00"), Cdb.Read10(0, 0));

    [Fact]
    public void Read10_TooManyBlocks_NamesTheValue()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => Cdb.Read10(0, 65536));
        Assert.Equal("BlockCountOutOfRange", ex.ErrorId);
        Assert.Contains("65536", ex.Message);
    }

    [Fact]
    public void Write10_LbaPast32Bits_Throws()
        => Assert.Equal("LbaOutOfRange", Assert.Throws<IscsiArgumentException>(() => Cdb.Write10(0x1_0000_0000, 1)).ErrorId);

    [Fact]
    public void Read16_Layout()
        => Assert.Equal(Bytes("88 10 00 00 01 02 03 04 05 06 00 01 00 00 00 00"), Cdb.Read16(0x0000_0102_0304_0506, 0x10000, dpo: true));

    [Fact]
    public void Write16_Layout()
        => Assert.Equal(Bytes("8A 08 FF FF FF FF FF FF FF FE 00 00 00 01 00 00"), Cdb.Write16(0xFFFF_FFFF_FFFF_FFFE, 1, fua: true));

    [Fact]
    public void Read16_RangePast2To64_Throws()
        => Assert.Equal("LbaOutOfRange", Assert.Throws<IscsiArgumentException>(() => Cdb.Read16(ulong.MaxValue, 2)).ErrorId);

    [Theory]
    // lba + blocks == 2^32 exactly: the last block is FFFFFFFFh, still addressable by (10).
    [InlineData(0xFFFF_FFFFUL, 1u, 0x28)]
    [InlineData(0xFFFF_0000UL, 65535u, 0x28)]
    [InlineData(0xFFFF_FFFFUL, 2u, 0x88)]
    [InlineData(0x1_0000_0000UL, 0u, 0x88)]
    [InlineData(0UL, 65535u, 0x28)]
    [InlineData(0UL, 65536u, 0x88)]
    public void Read_ChoosesTenOrSixteen(ulong lba, uint blocks, byte expectedOpcode)
        => Assert.Equal(expectedOpcode, Cdb.Read(lba, blocks)[0]);

    [Theory]
    [InlineData(0xFFFF_0001UL, 65535u, 0x2A)]
    [InlineData(0xFFFF_0002UL, 65535u, 0x8A)]
    [InlineData(10UL, 65536u, 0x8A)]
    public void Write_ChoosesTenOrSixteen(ulong lba, uint blocks, byte expectedOpcode)
        => Assert.Equal(expectedOpcode, Cdb.Write(lba, blocks)[0]);

    [Fact]
    public void Read_AtExactBoundary_EncodesLastLba()
        => Assert.Equal(Bytes("28 00 FF FF FF FF 00 00 01 00"), Cdb.Read(0xFFFF_FFFF, 1));

    [Fact]
    public void SynchronizeCache10_Immed()
        => Assert.Equal(Bytes("35 02 00 00 10 00 00 00 20 00"), Cdb.SynchronizeCache10(0x1000, 0x20, immed: true));

    [Fact]
    public void SynchronizeCache16_WholeMedium()
        => Assert.Equal(Bytes("91 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), Cdb.SynchronizeCache16());

    [Fact]
    public void ModeSense6_DbdChangeableCachingPage()
        => Assert.Equal(Bytes("1A 08 48 00 C0 00"), Cdb.ModeSense6(true, ModePageControl.Changeable, 0x08, 0, 0xC0));

    [Fact]
    public void ModeSense10_LlbaaAllPagesAllSubpages()
        => Assert.Equal(Bytes("5A 10 3F FF 00 00 00 10 00 00"), Cdb.ModeSense10(true, false, ModePageControl.Current, 0x3F, 0xFF, 0x1000));

    [Fact]
    public void ModeSense10_SavedValues()
        => Assert.Equal(Bytes("5A 08 C1 00 00 00 00 00 FC 00"), Cdb.ModeSense10(false, true, ModePageControl.Saved, 0x01, 0, 252));

    [Fact]
    public void ModeSense_PageCodeAbove3F_Throws()
        => Assert.Equal("PageCodeInvalid", Assert.Throws<IscsiArgumentException>(() => Cdb.ModeSense6(false, ModePageControl.Current, 0x40, 0, 4)).ErrorId);

    [Fact]
    public void RequestSense_Descriptor()
        => Assert.Equal(Bytes("03 01 00 00 FC 00"), Cdb.RequestSense(true, 252));

    [Fact]
    public void Unmap_Cdb()
        => Assert.Equal(Bytes("42 00 00 00 00 00 00 00 28 00"), Cdb.Unmap(40));

    [Fact]
    public void UnmapParameterList_TwoRanges()
    {
        // UNMAP DATA LENGTH = 40-2 = 38 (26h), BLOCK DESCRIPTOR DATA LENGTH = 32 (20h).
        var expected = Bytes(
            "00 26 00 20 00 00 00 00" +
            "00 00 00 00 00 00 10 00 00 00 00 08 00 00 00 00" +
            "00 00 00 01 00 00 00 00 00 01 00 00 00 00 00 00");
        Assert.Equal(expected, UnmapParameterList.Build([(0x1000, 8), (0x1_0000_0000, 0x10000)]));
    }

    [Fact]
    public void UnmapParameterList_Empty_Throws()
        => Assert.Equal("UnmapRangesEmpty", Assert.Throws<IscsiArgumentException>(() => UnmapParameterList.Build([])).ErrorId);

    [Fact]
    public void WriteSame16_UnmapAnchor()
        => Assert.Equal(Bytes("93 18 00 00 00 00 00 00 00 64 00 00 04 00 00 00"), Cdb.WriteSame16(100, 1024, unmap: true, anchor: true));

    [Fact]
    public void WriteSame16_Ndob()
        => Assert.Equal(Bytes("93 09 00 00 00 00 00 00 00 00 00 00 00 01 00 00"), Cdb.WriteSame16(0, 1, unmap: true, ndob: true));

    [Fact]
    public void Verify16_BytchkOne()
        => Assert.Equal(Bytes("8F 02 00 00 00 00 00 00 00 10 00 00 00 04 00 00"), Cdb.Verify16(16, 4, byteCheck: 1));

    [Fact]
    public void Verify16_BytchkFour_Throws()
        => Assert.Equal("ByteCheckInvalid", Assert.Throws<IscsiArgumentException>(() => Cdb.Verify16(0, 1, 4)).ErrorId);

    [Fact]
    public void CompareAndWrite_Layout()
        => Assert.Equal(Bytes("89 00 00 00 00 00 00 00 00 2A 00 00 00 01 00 00"), Cdb.CompareAndWrite(42, 1));

    [Fact]
    public void PersistentReserveIn_ReadReservation()
        => Assert.Equal(Bytes("5E 01 00 00 00 00 00 00 18 00"), Cdb.PersistentReserveIn(PersistentReserveInServiceAction.ReadReservation, 24));

    [Fact]
    public void PersistentReserveOut_ReserveWriteExclusive()
        => Assert.Equal(Bytes("5F 01 01 00 00 00 00 00 18 00"),
            Cdb.PersistentReserveOut(PersistentReserveOutServiceAction.Reserve, 0, PersistentReservationType.WriteExclusive, 24));

    [Fact]
    public void PersistentReserveOutParameters_RegisterWithAptpl()
        => Assert.Equal(Bytes("00 00 00 00 00 00 00 00 01 02 03 04 05 06 07 08 00 00 00 00 01 00 00 00"),
            PersistentReserveOutParameters.Build(0, 0x0102030405060708, aptpl: true));

    [Fact]
    public void StartStopUnit_EjectImmediate()
        => Assert.Equal(Bytes("1B 01 00 00 02 00"), Cdb.StartStopUnit(true, 0, loej: true, start: false));

    [Fact]
    public void StartStopUnit_PowerConditionStandby()
        => Assert.Equal(Bytes("1B 00 00 00 30 00"), Cdb.StartStopUnit(false, 3, false, false));

    [Fact]
    public void ReportSupportedOperationCodes_OneCommandWithServiceAction()
        => Assert.Equal(Bytes("A3 0C 82 9E 00 10 00 00 02 00 00 00"), Cdb.ReportSupportedOperationCodes(2, 0x9E, 0x10, 512, returnTimeouts: true));
}
