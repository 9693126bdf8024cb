using Iscsi;
using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// Mode parameter headers from SPC-5 7.5.5, block descriptors from SBC-4 6.5.2, pages from SBC-4/SPC-5.
public class ModeParametersTests
{
    [Fact]
    public void ModeSense6_HeaderDescriptorAndCachingPage()
    {
        var m = ModeParameters.Parse6(Bytes(
            "1F 00 90 08" +                                     // length 31, WP|DPOFUA, 8 bytes of descriptors
            "00 01 00 00 00 00 02 00" +                         // 65536 blocks of 512
            "88 12 04 00 FF FF 00 00 FF FF FF FF 20 14 00 00 00 00 00 00")); // PS, caching, WCE, DRA, 20 segments
        Assert.Equal(31, m.ModeDataLength);
        Assert.True(m.WriteProtected);
        Assert.True(m.DpoFua);
        var bd = Assert.Single(m.BlockDescriptors);
        Assert.Equal(65536UL, bd.BlockCount);
        Assert.Equal(512u, bd.BlockLength);
        var page = Assert.Single(m.Pages);
        Assert.Equal(0x08, page.PageCode);
        Assert.True(page.ParametersSaveable);
        Assert.Equal(0x12, page.PageLength);
        var caching = m.Caching!;
        Assert.True(caching.WriteCacheEnabled);
        Assert.False(caching.ReadCacheDisabled);
        Assert.Equal((ushort)0xFFFF, caching.DisablePrefetchTransferLength);
        Assert.True(caching.DisableReadAhead);
        Assert.Equal(20, caching.NumberOfCacheSegments);
        Assert.Null(m.Control);
    }

    [Fact]
    public void ModeSense10_LongLbaControlInformationalExceptionsAndSubpage()
    {
        var m = ModeParameters.Parse10(Bytes(
            "00 36 00 00 01 00 00 10" +                                   // length 54, LONGLBA, 16 bytes of descriptors
            "00 00 00 01 00 00 00 00 00 00 00 00 00 00 10 00" +           // 2^32 blocks of 4096
            "0A 0A 04 12 08 40 FF FF 00 64 00 3C" +                       // control: D_SENSE, QAM 1, QERR 01b, SWP, TAS
            "1C 0A 08 06 00 00 00 00 00 00 00 01" +                       // IE: DEXCPT, MRIE 6, report count 1
            "4A 01 00 04 00 00 00 00"));                                  // control extension 0Ah/01h (sub_page format)
        Assert.True(m.LongLba);
        Assert.False(m.WriteProtected);
        var bd = Assert.Single(m.BlockDescriptors);
        Assert.True(bd.IsLongLba);
        Assert.Equal(0x1_0000_0000UL, bd.BlockCount);
        Assert.Equal(4096u, bd.BlockLength);
        Assert.Equal(3, m.Pages.Count);

        var control = m.Control!;
        Assert.True(control.DescriptorSense);
        Assert.Equal(1, control.QueueAlgorithmModifier);
        Assert.Equal(1, control.QueueErrorManagement);
        Assert.True(control.SoftwareWriteProtect);
        Assert.True(control.TaskAbortedStatus);
        Assert.Equal(100, control.BusyTimeoutPeriod);
        Assert.Equal(60, control.ExtendedSelfTestCompletionTime);

        var ie = m.InformationalExceptions!;
        Assert.True(ie.DisableExceptionControl);
        Assert.Equal(6, ie.ReportingMethod);
        Assert.Equal(1u, ie.ReportCount);

        var sub = m.Find(0x0A, 0x01)!;
        Assert.True(sub.SubpageFormat);
        Assert.Equal(4, sub.PageLength);
        Assert.Equal(8, sub.Raw.Length);
    }

    [Fact]
    public void ReadWriteErrorRecoveryPage()
    {
        var m = ModeParameters.Parse6(Bytes("0F 00 00 00 01 0A C0 05 00 00 00 80 03 00 00 64"));
        var rw = m.ReadWriteErrorRecovery!;
        Assert.True(rw.AutomaticWriteReallocation);
        Assert.True(rw.AutomaticReadReallocation);
        Assert.Equal(5, rw.ReadRetryCount);
        Assert.True(rw.LogicalBlockProvisioningErrorReporting);
        Assert.Equal(3, rw.WriteRetryCount);
        Assert.Equal(100, rw.RecoveryTimeLimit);
    }

    [Fact]
    public void TruncatedPage_IsKeptShort()
    {
        // MODE DATA LENGTH says 31 but the allocation stopped after 4 bytes of the page.
        var m = ModeParameters.Parse6(Bytes("1F 00 00 00 08 12 04 00"));
        var page = Assert.Single(m.Pages);
        Assert.Equal(4, page.Raw.Length);
        Assert.True(m.Caching!.WriteCacheEnabled);
        Assert.Equal(0, m.Caching.NumberOfCacheSegments);
    }

    [Fact]
    public void BlockDescriptorLengthNotMultipleOf8_IsMalformed()
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => ModeParameters.Parse6(Bytes("0B 00 00 05 00 00 00 00 00 00 00 00")));
        Assert.Equal("ScsiDataMalformed", ex.ErrorId);
        Assert.Contains("5", ex.Message);
    }

    [Fact]
    public void BlockDescriptorsPastModeDataLength_AreMalformed()
        => Assert.Equal("ScsiDataMalformed",
            Assert.Throws<IscsiProtocolException>(() => ModeParameters.Parse6(Bytes("03 00 00 08"))).ErrorId);

    [Fact]
    public void ShortHeader_IsMalformed()
        => Assert.Equal("ScsiDataMalformed", Assert.Throws<IscsiProtocolException>(() => ModeParameters.Parse10(Bytes("00 06 00 00 00"))).ErrorId);
}
