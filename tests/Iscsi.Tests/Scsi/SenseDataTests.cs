using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// Vectors laid out by hand from SPC-5 4.4.2 (descriptor) and 4.4.3 (fixed) sense data formats.
public class SenseDataTests
{
    [Fact]
    public void Fixed_ValidInformation_MediumError()
    {
        var s = SenseData.Parse(Bytes("F0 00 03 12 34 56 78 0A 00 00 00 00 11 00 00 00 00 00"))!;
        Assert.Equal(0x70, s.ResponseCode);
        Assert.False(s.IsDescriptorFormat);
        Assert.False(s.IsDeferred);
        Assert.Equal(SenseKey.MediumError, s.SenseKey);
        Assert.Equal(0x11, s.Asc);
        Assert.Equal(0x00, s.Ascq);
        Assert.Equal("UNRECOVERED READ ERROR", s.Description);
        Assert.Equal(0x12345678UL, s.Information);
        Assert.Equal(0UL, s.CommandSpecificInformation);
        Assert.Null(s.SenseKeySpecific);
        Assert.Equal(18, s.Raw.Length);
    }

    [Fact]
    public void Fixed_ValidClear_InformationIsNull()
    {
        var s = SenseData.Parse(Bytes("70 00 03 12 34 56 78 0A 00 00 00 00 11 00 00 00 00 00"))!;
        Assert.Null(s.Information);
    }

    [Fact]
    public void Fixed_IllegalRequest_FieldPointerWithBitPointer()
    {
        // byte 15 = CFh: SKSV, C/D (CDB), BPV, bit pointer 7; field pointer 0002h.
        var s = SenseData.Parse(Bytes("70 00 05 00 00 00 00 0A 00 00 00 00 24 00 00 CF 00 02"))!;
        Assert.Equal(SenseKey.IllegalRequest, s.SenseKey);
        Assert.Equal("INVALID FIELD IN CDB", s.Description);
        var sks = Assert.IsType<SenseKeySpecific>(s.SenseKeySpecific);
        Assert.Equal(SenseKeySpecificKind.FieldPointer, sks.Kind);
        Assert.True(sks.CommandData);
        Assert.Equal((byte)7, sks.BitPointer);
        Assert.Equal((ushort)2, sks.FieldPointer);
        Assert.Equal("CDB byte 2 bit 7", sks.ToString());
    }

    [Fact]
    public void Fixed_IllegalRequest_ParameterDataWithoutBitPointer()
    {
        var s = SenseData.Parse(Bytes("70 00 05 00 00 00 00 0A 00 00 00 00 26 00 00 80 00 10"))!;
        var sks = s.SenseKeySpecific!;
        Assert.False(sks.CommandData);
        Assert.Null(sks.BitPointer);
        Assert.Equal((ushort)16, sks.FieldPointer);
    }

    [Fact]
    public void Fixed_NotReady_ProgressIndication()
    {
        var s = SenseData.Parse(Bytes("70 00 02 00 00 00 00 0A 00 00 00 00 04 04 00 80 80 00"))!;
        Assert.Equal("LOGICAL UNIT NOT READY, FORMAT IN PROGRESS", s.Description);
        Assert.Equal(SenseKeySpecificKind.ProgressIndication, s.SenseKeySpecific!.Kind);
        Assert.Equal((ushort)0x8000, s.SenseKeySpecific.ProgressIndication);
        Assert.Equal(50.0, s.SenseKeySpecific.ProgressPercent);
    }

    [Fact]
    public void Fixed_SksvClear_NoSenseKeySpecific()
        => Assert.Null(SenseData.Parse(Bytes("70 00 02 00 00 00 00 0A 00 00 00 00 04 04 00 00 80 00"))!.SenseKeySpecific);

    [Fact]
    public void Fixed_FlagsAndDeferred()
    {
        // 71h deferred; byte 2 = E0h | 0 : FILEMARK, EOM, ILI, NO SENSE; 00/01 FILEMARK DETECTED.
        var s = SenseData.Parse(Bytes("71 00 E0 00 00 00 00 06 00 00 00 00 00 01"))!;
        Assert.True(s.IsDeferred);
        Assert.True(s.Filemark);
        Assert.True(s.EndOfMedium);
        Assert.True(s.IncorrectLengthIndicator);
        Assert.Equal(SenseKey.NoSense, s.SenseKey);
        Assert.Equal("FILEMARK DETECTED", s.Description);
        Assert.Null(s.FieldReplaceableUnitCode);
    }

    [Fact]
    public void Fixed_TruncatedToEightBytes_DecodesWhatIsThere()
    {
        var s = SenseData.Parse(Bytes("70 00 06 00 00 00 00 0A"))!;
        Assert.Equal(SenseKey.UnitAttention, s.SenseKey);
        Assert.Equal(0, s.Asc);
        Assert.Equal("", s.Description);
        Assert.Null(s.Information);
        Assert.Null(s.CommandSpecificInformation);
        Assert.Null(s.SenseKeySpecific);
        Assert.Equal(8, s.Raw.Length);
    }

    [Fact]
    public void Fixed_TruncatedAfterAscq()
    {
        var s = SenseData.Parse(Bytes("70 00 06 00 00 00 00 0A 00 00 00 00 29 00"))!;
        Assert.Equal("POWER ON, RESET, OR BUS DEVICE RESET OCCURRED", s.Description);
        Assert.Null(s.SenseKeySpecific);
    }

    [Fact]
    public void Fixed_AdditionalLengthLimitsWhatIsDecoded()
    {
        // ADDITIONAL SENSE LENGTH 6 covers bytes 8-13 only: bytes 14-17 are not sense data.
        var s = SenseData.Parse(Bytes("70 00 05 00 00 00 00 06 00 00 00 00 20 00 99 CF 00 02"))!;
        Assert.Equal("INVALID COMMAND OPERATION CODE", s.Description);
        Assert.Null(s.FieldReplaceableUnitCode);
        Assert.Null(s.SenseKeySpecific);
    }

    [Fact]
    public void Descriptor_InformationSksAndCommandSpecific()
    {
        var s = SenseData.Parse(Bytes(
            "72 05 21 00 00 00 00 20" +
            "00 0A 80 00 00 00 00 01 00 00 00 00" +       // information, VALID, 0000000100000000h
            "02 06 00 00 C0 00 08 00" +                   // sense key specific: SKSV, C/D, field 8
            "01 0A 00 00 00 00 00 00 00 00 00 2A"))!;     // command-specific information 2Ah
        Assert.True(s.IsDescriptorFormat);
        Assert.Equal(0x72, s.ResponseCode);
        Assert.Equal(SenseKey.IllegalRequest, s.SenseKey);
        Assert.Equal("LOGICAL BLOCK ADDRESS OUT OF RANGE", s.Description);
        Assert.Equal(0x1_0000_0000UL, s.Information);
        Assert.Equal(0x2AUL, s.CommandSpecificInformation);
        Assert.Equal((ushort)8, s.SenseKeySpecific!.FieldPointer);
        Assert.True(s.SenseKeySpecific.CommandData);
        Assert.Equal([0x00, 0x02, 0x01], s.Descriptors.Select(d => d.Type).ToArray());
        Assert.Equal(12, s.Descriptors[0].Raw.Length);
        Assert.Equal(8, s.Descriptors[1].Raw.Length);
    }

    [Fact]
    public void Descriptor_HeaderOnly()
    {
        var s = SenseData.Parse(Bytes("73 06 2A 01 00 00 00 00"))!;
        Assert.True(s.IsDeferred);
        Assert.Equal(SenseKey.UnitAttention, s.SenseKey);
        Assert.Equal("MODE PARAMETERS CHANGED", s.Description);
        Assert.Empty(s.Descriptors);
        Assert.Null(s.Information);
    }

    [Fact]
    public void Descriptor_TruncatedDescriptor_KeptRawNotDecoded()
    {
        // ADDITIONAL SENSE LENGTH says 12 but only 6 descriptor bytes arrived.
        var s = SenseData.Parse(Bytes("72 03 11 00 00 00 00 0C 00 0A 80 00 00 00"))!;
        Assert.Null(s.Information);
        Assert.Single(s.Descriptors);
        Assert.Equal(6, s.Descriptors[0].Raw.Length);
    }

    [Fact]
    public void Descriptor_StreamCommandsAndFru()
    {
        var s = SenseData.Parse(Bytes("72 00 00 01 00 00 00 08 04 02 00 80 03 02 00 17"))!;
        Assert.True(s.Filemark);
        Assert.Equal((byte)0x17, s.FieldReplaceableUnitCode);
    }

    [Fact]
    public void NotSenseData_ReturnsNull()
    {
        Assert.Null(SenseData.Parse([]));
        Assert.Null(SenseData.Parse(Bytes("05 00 00 00")));
    }

    [Fact]
    public void VendorSpecificFormat_IsKeptRaw()
    {
        var s = SenseData.Parse(Bytes("7F 01 02"))!;
        Assert.Equal(0x7F, s.ResponseCode);
        Assert.Equal(3, s.Raw.Length);
    }
}
