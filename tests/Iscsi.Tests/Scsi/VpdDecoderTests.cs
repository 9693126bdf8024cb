using Iscsi;
using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// VPD pages laid out from SPC-5 7.7 and SBC-4 6.6.
public class VpdDecoderTests
{
    [Fact]
    public void SupportedPages()
    {
        var p = SupportedVpdPages.Parse(Bytes("00 00 00 04 00 80 83 B0"));
        Assert.Equal(new byte[] { 0x00, 0x80, 0x83, 0xB0 }, p.Pages);
        Assert.True(p.Supports(0xB0));
        Assert.False(p.Supports(0xB2));
    }

    [Fact]
    public void UnitSerialNumber_Trimmed()
        => Assert.Equal("SN123", UnitSerialNumber.Parse(Bytes("00 80 00 08 53 4E 31 32 33 20 20 20")).SerialNumber);

    [Fact]
    public void WrongPageCode_IsMalformed()
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => UnitSerialNumber.Parse(Bytes("00 83 00 00")));
        Assert.Equal("ScsiDataMalformed", ex.ErrorId);
        Assert.Contains("0x83", ex.Message);
    }

    [Fact]
    public void ShortHeader_IsMalformed()
        => Assert.Equal("ScsiDataMalformed", Assert.Throws<IscsiProtocolException>(() => SupportedVpdPages.Parse(Bytes("00 00 00"))).ErrorId);

    [Fact]
    public void FullLength_FromPageLength() => Assert.Equal(0x104, VpdPage.FullLength(Bytes("00 83 01 00")));

    [Fact]
    public void DeviceIdentification_AllDesignatorKinds()
    {
        var page = Bytes(
            "00 83 00 56" +
            "01 03 00 10 60 01 40 5A BC DE F0 12 34 56 78 9A BC DE F0 12" +            // NAA, LU
            "02 01 00 0C 4C 49 4F 2D 4F 52 47 20 61 62 63 64" +                        // T10 vendor id "LIO-ORG abcd"
            "01 02 00 08 00 11 22 33 44 55 66 77" +                                    // EUI-64
            "53 A8 00 14 69 71 6E 2E 32 30 30 33 2D 30 31 2E 6F 72 67 2E 78 00 00 00" + // iSCSI name, target device, PIV
            "51 94 00 04 00 00 00 01" +                                                // relative target port 1
            "01 03 00 10 60 01");                                                      // cut off: dropped
        var ids = DeviceIdentification.Parse(page).Designators;
        Assert.Equal(5, ids.Count);

        Assert.Equal(DesignatorType.Naa, ids[0].DesignatorType);
        Assert.Equal(DesignatorCodeSet.Binary, ids[0].CodeSet);
        Assert.Equal(DesignatorAssociation.LogicalUnit, ids[0].Association);
        Assert.Equal("naa.6001405abcdef0123456789abcdef012", ids[0].Display);
        Assert.Equal(16, ids[0].Identifier.Length);

        Assert.Equal(DesignatorType.T10VendorId, ids[1].DesignatorType);
        Assert.Equal(DesignatorCodeSet.Ascii, ids[1].CodeSet);
        Assert.Equal("LIO-ORG abcd", ids[1].Display);

        Assert.Equal("eui.0011223344556677", ids[2].Display);

        Assert.Equal(DesignatorType.ScsiNameString, ids[3].DesignatorType);
        Assert.Equal(DesignatorAssociation.TargetDevice, ids[3].Association);
        Assert.True(ids[3].Piv);
        Assert.Equal(5, ids[3].ProtocolIdentifier);
        Assert.Equal(DesignatorCodeSet.Utf8, ids[3].CodeSet);
        Assert.Equal("iqn.2003-01.org.x", ids[3].Display);

        Assert.Equal(DesignatorAssociation.TargetPort, ids[4].Association);
        Assert.Equal("relative target port 1", ids[4].Display);

        var dev = DeviceIdentification.Parse(page);
        Assert.Same(dev.Designators[0], dev.PreferredLogicalUnitDesignator);
    }

    [Fact]
    public void BlockLimits_FullPage()
    {
        var b = BlockLimits.Parse(Bytes(
            "00 B0 00 3C" +
            "01 01 00 08" +             // WSNZ, max C&W 1, granularity 8
            "00 00 40 00" +             // max transfer 16384
            "00 00 04 00" +             // optimal transfer 1024
            "00 00 00 00" +             // max prefetch
            "FF FF FF FF" +             // max unmap LBA count
            "00 00 00 10" +             // max unmap descriptors 16
            "00 00 00 08" +             // optimal unmap granularity 8
            "80 00 00 01" +             // UGAVALID, alignment 1
            "00 00 00 00 00 00 FF FF" + // max write same 65535
            "00 00 00 00" +
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
        Assert.True(b.WriteSameNonZero);
        Assert.Equal(1, b.MaximumCompareAndWriteLength);
        Assert.Equal(8, b.OptimalTransferLengthGranularity);
        Assert.Equal(16384u, b.MaximumTransferLength);
        Assert.Equal(1024u, b.OptimalTransferLength);
        Assert.Equal(0xFFFF_FFFFu, b.MaximumUnmapLbaCount);
        Assert.Equal(16u, b.MaximumUnmapBlockDescriptorCount);
        Assert.Equal(8u, b.OptimalUnmapGranularity);
        Assert.True(b.UnmapGranularityAlignmentValid);
        Assert.Equal(1u, b.UnmapGranularityAlignment);
        Assert.Equal(65535UL, b.MaximumWriteSameLength);
    }

    [Fact]
    public void BlockLimits_OldShortPage_LaterFieldsZero()
    {
        var b = BlockLimits.Parse(Bytes("00 B0 00 10 00 00 00 01 00 00 00 80 00 00 00 20 00 00 00 00"));
        Assert.Equal(128u, b.MaximumTransferLength);
        Assert.Equal(32u, b.OptimalTransferLength);
        Assert.Equal(0u, b.MaximumUnmapLbaCount);
        Assert.Equal(0UL, b.MaximumWriteSameLength);
    }

    [Fact]
    public void BlockDeviceCharacteristics_RotatingThreeAndHalf()
    {
        var c = BlockDeviceCharacteristics.Parse(Bytes("00 B1 00 3C 1C 20 00 02 02" + string.Concat(Enumerable.Repeat("00", 55))));
        Assert.Equal(7200, c.MediumRotationRate);
        Assert.False(c.IsNonRotating);
        Assert.Equal(NominalFormFactor.ThreeAndHalfInch, c.FormFactor);
        Assert.True(c.Fuab);
    }

    [Fact]
    public void BlockDeviceCharacteristics_NonRotating()
    {
        var c = BlockDeviceCharacteristics.Parse(Bytes("00 B1 00 04 00 01 00 03"));
        Assert.True(c.IsNonRotating);
        Assert.Equal(NominalFormFactor.TwoAndHalfInch, c.FormFactor);
    }

    [Fact]
    public void LogicalBlockProvisioning_Thin()
    {
        // byte 5 = E6h: LBPU, LBPWS, LBPWS10, LBPRZ 001b, ANC_SUP; byte 6: provisioning type 010b.
        var p = LogicalBlockProvisioning.Parse(Bytes("00 B2 00 04 0A E6 02 00"));
        Assert.Equal(10, p.ThresholdExponent);
        Assert.True(p.Lbpu);
        Assert.True(p.Lbpws);
        Assert.True(p.Lbpws10);
        Assert.Equal(1, p.LbprzField);
        Assert.True(p.Lbprz);
        Assert.True(p.AncSup);
        Assert.False(p.Dp);
        Assert.Equal(ProvisioningType.ThinProvisioned, p.ProvisioningType);
    }
}
