using Iscsi;
using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// Standard INQUIRY data laid out from SPC-5 table 148.
public class InquiryDecoderTests
{
    private const string Header36 =
        "00 80 06 32 45 99 00 02" +                              // DASD, RMB, SPC-4, NORMACA|HISUP|RDF 2, +69, SCCS|TPGS 1|3PC|PROTECT, CMDQUE
        "4C 49 4F 2D 4F 52 47 20" +                              // "LIO-ORG "
        "64 69 73 6B 31 20 20 20 20 20 20 20 20 20 20 20" +      // "disk1" padded
        "34 2E 30 20";                                           // "4.0 "

    private const string Tail38 =
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" + // 36-57
        "04 C0 09 60 06 00 00 00 00 00 00 00 00 00 00 00";                    // 58-73 version descriptors

    [Fact]
    public void Parse_Full74Bytes()
    {
        var d = StandardInquiryData.Parse(Bytes(Header36 + Tail38));
        Assert.Equal(0, d.PeripheralQualifier);
        Assert.Equal(PeripheralDeviceType.DirectAccessBlock, d.DeviceType);
        Assert.True(d.Removable);
        Assert.Equal(6, d.Version);
        Assert.True(d.NormAca);
        Assert.True(d.HiSup);
        Assert.Equal(2, d.ResponseDataFormat);
        Assert.True(d.Sccs);
        Assert.Equal(1, d.Tpgs);
        Assert.True(d.ThirdPartyCopy);
        Assert.True(d.Protect);
        Assert.True(d.Cmdque);
        Assert.Equal("LIO-ORG", d.VendorId);
        Assert.Equal("disk1", d.ProductId);
        Assert.Equal("4.0", d.ProductRevision);
        Assert.Equal(new ushort[] { 0x04C0, 0x0960, 0x0600 }, d.VersionDescriptors);
        Assert.Equal(74, d.FullLength);
    }

    [Fact]
    public void Parse_TruncatedTo36_ToleratesAndReportsFullLength()
    {
        var d = StandardInquiryData.Parse(Bytes(Header36));
        Assert.Equal("4.0", d.ProductRevision);
        Assert.Empty(d.VersionDescriptors);
        Assert.Equal(74, d.FullLength);
    }

    [Fact]
    public void Parse_TruncatedInsideProductId()
    {
        var d = StandardInquiryData.Parse(Bytes(Header36)[..19]);
        Assert.Equal("LIO-ORG", d.VendorId);
        Assert.Equal("dis", d.ProductId);
        Assert.Equal("", d.ProductRevision);
    }

    [Fact]
    public void Parse_QualifierAndOtherType()
    {
        var d = StandardInquiryData.Parse(Bytes("7F 00 05 02 00"));
        Assert.Equal(3, d.PeripheralQualifier);
        Assert.Equal(PeripheralDeviceType.Unknown, d.DeviceType);
        Assert.Equal("Unknown or no device type", d.DeviceType.Describe());
        Assert.Equal("Direct access block device", PeripheralDeviceType.DirectAccessBlock.Describe());
    }

    [Fact]
    public void Parse_FewerThanFiveBytes_IsMalformed()
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => StandardInquiryData.Parse(Bytes("00 00 05 02")));
        Assert.Equal("ScsiDataMalformed", ex.ErrorId);
        Assert.Contains("4", ex.Message);
    }
}
