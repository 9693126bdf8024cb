using Iscsi;
using Iscsi.Scsi;
using static Iscsi.Tests.Scsi.Hex;

namespace Iscsi.Tests.Scsi;

// PERSISTENT RESERVE IN data from SPC-5 6.16; REPORT SUPPORTED OPERATION CODES data from SPC-5 6.35.
public class PersistentReserveAndOpcodesTests
{
    [Fact]
    public void ReadKeys()
    {
        var k = PersistentReserveKeys.Parse(Bytes("00 00 00 05 00 00 00 10 00 00 00 00 00 00 AB CD 11 22 33 44 55 66 77 88"));
        Assert.Equal(5u, k.Generation);
        Assert.Equal(new ulong[] { 0xABCD, 0x1122334455667788 }, k.Keys);
        Assert.False(k.IsTruncated);
    }

    [Fact]
    public void ReadKeys_Truncated()
    {
        var k = PersistentReserveKeys.Parse(Bytes("00 00 00 05 00 00 00 10 00 00 00 00 00 00 AB CD"));
        Assert.Single(k.Keys);
        Assert.True(k.IsTruncated);
        Assert.Equal(24, k.RequiredAllocationLength);
    }

    [Fact]
    public void ReadReservation_Held()
    {
        var r = PersistentReservation.Parse(Bytes("00 00 00 07 00 00 00 10 00 00 00 00 00 00 AB CD 00 00 00 00 00 05 00 00"));
        Assert.True(r.IsReserved);
        Assert.Equal(7u, r.Generation);
        Assert.Equal(0xABCDUL, r.ReservationKey);
        Assert.Equal(PersistentReservationType.WriteExclusiveRegistrantsOnly, r.Type);
    }

    [Fact]
    public void ReadReservation_None()
    {
        var r = PersistentReservation.Parse(Bytes("00 00 00 07 00 00 00 00"));
        Assert.False(r.IsReserved);
        Assert.Equal(PersistentReservationType.None, r.Type);
    }

    [Fact]
    public void ReadReservation_ImpossibleLength_IsMalformed()
    {
        var ex = Assert.Throws<IscsiProtocolException>(() => PersistentReservation.Parse(Bytes("00 00 00 07 00 00 00 08")));
        Assert.Equal("ScsiDataMalformed", ex.ErrorId);
        Assert.Contains("8", ex.Message);
    }

    [Fact]
    public void SupportedOperationCodes_AllCommandsWithTimeouts()
    {
        var s = SupportedOperationCodes.Parse(Bytes(
            "00 00 00 1C" +
            "28 00 00 00 00 00 00 0A" +                                     // READ(10), 10-byte CDB
            "9E 00 00 10 00 03 00 10 00 0A 00 00 00 00 00 1E 00 00 00 3C")); // 9Eh/10h, CTDP|SERVACTV, timeouts 30/60 s
        Assert.Equal(2, s.Commands.Count);
        Assert.Equal("READ(10)", s.Commands[0].Name);
        Assert.Equal(10, s.Commands[0].CdbLength);
        Assert.False(s.Commands[0].ServiceActionValid);
        Assert.Null(s.Commands[0].Timeouts);
        Assert.True(s.Commands[1].ServiceActionValid);
        Assert.Equal(0x10, s.Commands[1].ServiceAction);
        Assert.Equal(30u, s.Commands[1].Timeouts!.NominalSeconds);
        Assert.Equal(60u, s.Commands[1].Timeouts!.RecommendedSeconds);
        Assert.True(s.Supports(0x9E, 0x10));
        Assert.False(s.Supports(0x9E, 0x11));
        Assert.True(s.Supports(0x28));
    }

    [Fact]
    public void OneCommand_Supported()
    {
        var o = OneCommandSupport.Parse(Bytes("00 03 00 0A 28 FF FF FF FF FF 1F FF FF 07"));
        Assert.Equal(CommandSupport.SupportedAsStandard, o.Support);
        Assert.True(o.IsSupported);
        Assert.Equal(10, o.CdbSize);
        Assert.Equal(Bytes("28 FF FF FF FF FF 1F FF FF 07"), o.CdbUsageData);
        Assert.Null(o.Timeouts);
    }

    [Fact]
    public void OneCommand_NotSupported()
        => Assert.False(OneCommandSupport.Parse(Bytes("00 01 00 00")).IsSupported);
}
