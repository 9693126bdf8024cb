using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;

namespace Iscsi.Tests.Pdu;

/// <summary>Initiator-side PDUs against 48-byte vectors written out by hand from the RFC 7143 field
/// diagrams (one row = 4 bytes, the row's byte offset on the left), checked in both directions.</summary>
public class InitiatorPduVectorTests
{
    // ---- NOP-Out (11.18)
    internal static readonly byte[] NopOutVector = Hex("""
        40 80 00 00   00 00 01 00
        00 01 00 00   00 00 00 00
        11 22 33 44   ff ff ff ff
        00 00 00 10   00 00 00 20
        00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly NopOut NopOutFields = new()
    {
        Immediate = true, Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x11223344, TargetTransferTag = 0xFFFFFFFF,
        CmdSn = 0x10, ExpStatSn = 0x20, DataSegmentLength = 256,
    };

    [Fact]
    public void NopOut_writes_the_vector() => Assert.Equal(NopOutVector, Written(NopOutFields.WriteTo));

    [Fact]
    public void NopOut_reads_the_vector()
    {
        Assert.True(NopOut.TryRead(NopOutVector, out var pdu));
        SameFields(NopOutFields, pdu);
    }

    // ---- SCSI Command (11.3): the RFC 3720 B.4 READ(10) example PDU, byte for byte
    internal static readonly byte[] Read10CommandVector = Hex("""
        01 c0 00 00   00 00 00 00
        00 00 00 00   00 00 00 00
        14 00 00 00   00 00 04 00
        00 00 00 14   00 00 00 18
        28 00 00 00   00 00 00 00   02 00 00 00   00 00 00 00
        """);

    private static readonly ScsiCommandRequest Read10CommandFields = new()
    {
        Immediate = false, Final = true, Read = true, Write = false, Attribute = 0,
        TotalAhsLength = 0, DataSegmentLength = 0, Lun = 0, InitiatorTaskTag = 0x14000000,
        ExpectedDataTransferLength = 0x400, CmdSn = 0x14, ExpStatSn = 0x18,
        Cdb = Hex("28 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00"),
    };

    [Fact]
    public void ScsiCommand_writes_the_rfc3720_read10_example()
    {
        var shortCdb = Read10CommandFields with { Cdb = Hex("28 00 00 00 00 00 00 00 02 00") };   // 10 bytes, zero-padded
        Assert.Equal(Read10CommandVector, Written(shortCdb.WriteTo));
    }

    [Fact]
    public void ScsiCommand_reads_the_rfc3720_read10_example()
    {
        Assert.True(ScsiCommandRequest.TryRead(Read10CommandVector, out var pdu));
        SameFields(Read10CommandFields, pdu);
        Assert.Equal(16, pdu.Cdb.Length);
    }

    // Immediate, W, ATTR=Simple, an AHS and a data segment: every other field of byte 0/1/4-7 exercised.
    internal static readonly byte[] WriteCommandVector = Hex("""
        41 a1 00 00   02 01 23 45
        00 03 00 00   00 00 00 00
        de ad be ef   00 01 00 00
        ff ff ff fe   00 00 00 07
        2a 00 00 00   10 00 00 00   80 00 00 00   00 00 00 00
        """);

    private static readonly ScsiCommandRequest WriteCommandFields = new()
    {
        Immediate = true, Final = true, Read = false, Write = true, Attribute = 1,
        TotalAhsLength = 8, DataSegmentLength = 0x012345, Lun = 0x0003_0000_0000_0000, InitiatorTaskTag = 0xDEADBEEF,
        ExpectedDataTransferLength = 0x10000, CmdSn = 0xFFFFFFFE, ExpStatSn = 7,
        Cdb = Hex("2a 00 00 00 10 00 00 00 80 00 00 00 00 00 00 00"),
    };

    [Fact]
    public void ScsiCommand_writes_flags_ahs_and_data_length() => Assert.Equal(WriteCommandVector, Written(WriteCommandFields.WriteTo));

    [Fact]
    public void ScsiCommand_reads_flags_ahs_and_data_length()
    {
        Assert.True(ScsiCommandRequest.TryRead(WriteCommandVector, out var pdu));
        SameFields(WriteCommandFields, pdu);
    }

    // ---- Task Management Function Request (11.5): ABORT TASK
    internal static readonly byte[] TaskManagementRequestVector = Hex("""
        42 81 00 00   00 00 00 00
        00 01 00 00   00 00 00 00
        00 00 00 30   00 00 00 10
        00 00 00 55   00 00 00 66
        00 00 00 50   00 00 00 02   00 00 00 00   00 00 00 00
        """);

    private static readonly TaskManagementRequest TaskManagementRequestFields = new()
    {
        Immediate = true, Function = 1, Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x30, ReferencedTaskTag = 0x10,
        CmdSn = 0x55, ExpStatSn = 0x66, RefCmdSn = 0x50, ExpDataSn = 2,
    };

    [Fact]
    public void TaskManagementRequest_writes_the_vector() => Assert.Equal(TaskManagementRequestVector, Written(TaskManagementRequestFields.WriteTo));

    [Fact]
    public void TaskManagementRequest_reads_the_vector()
    {
        Assert.True(TaskManagementRequest.TryRead(TaskManagementRequestVector, out var pdu));
        SameFields(TaskManagementRequestFields, pdu);
    }

    // ---- Login Request (11.12): T=1, CSG=1 (operational), NSG=3 (full feature); I bit forced
    internal static readonly byte[] LoginRequestVector = Hex("""
        43 87 02 01   00 00 01 c3
        80 12 34 56   78 9a be ef
        00 00 00 00   00 01 00 00
        00 00 00 01   00 00 00 02
        00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly LoginRequest LoginRequestFields = new()
    {
        Transit = true, Continue = false, CurrentStage = 1, NextStage = 3, VersionMax = 2, VersionMin = 1,
        DataSegmentLength = 0x1c3, Isid = 0x8012_3456_789A, Tsih = 0xBEEF, InitiatorTaskTag = 0, Cid = 1, CmdSn = 1, ExpStatSn = 2,
    };

    [Fact]
    public void LoginRequest_writes_the_vector() => Assert.Equal(LoginRequestVector, Written(LoginRequestFields.WriteTo));

    [Fact]
    public void LoginRequest_reads_the_vector()
    {
        Assert.True(LoginRequest.TryRead(LoginRequestVector, out var pdu));
        SameFields(LoginRequestFields, pdu);
    }

    [Fact]
    public void LoginRequest_continue_bit_and_security_stage()
    {
        var bhs = Written(new LoginRequest { Continue = true, CurrentStage = 0, NextStage = 0 }.WriteTo);
        Assert.Equal(0x43, bhs[0]);
        Assert.Equal(0x40, bhs[1]);
    }

    // ---- Text Request (11.10): SendTargets=All + NUL is 16 bytes
    internal static readonly byte[] TextRequestVector = Hex("""
        04 40 00 00   00 00 00 10
        00 00 00 00   00 00 00 00
        00 00 00 09   ff ff ff ff
        00 00 00 03   00 00 00 04
        00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly TextRequest TextRequestFields = new()
    {
        Immediate = false, Final = false, Continue = true, Lun = 0, InitiatorTaskTag = 9, TargetTransferTag = 0xFFFFFFFF,
        CmdSn = 3, ExpStatSn = 4, DataSegmentLength = 16,
    };

    [Fact]
    public void TextRequest_writes_the_vector() => Assert.Equal(TextRequestVector, Written(TextRequestFields.WriteTo));

    [Fact]
    public void TextRequest_reads_the_vector()
    {
        Assert.True(TextRequest.TryRead(TextRequestVector, out var pdu));
        SameFields(TextRequestFields, pdu);
    }

    [Fact]
    public void TextRequest_immediate_and_final_bits()
    {
        var bhs = Written(new TextRequest { Immediate = true, Final = true }.WriteTo);
        Assert.Equal(0x44, bhs[0]);
        Assert.Equal(0x80, bhs[1]);
    }

    // ---- SCSI Data-Out (11.7)
    internal static readonly byte[] DataOutVector = Hex("""
        05 80 00 00   00 00 20 00
        00 01 00 00   00 00 00 00
        00 00 00 77   00 00 10 01
        00 00 00 00   00 00 00 31
        00 00 00 00   00 00 00 02   00 02 00 00   00 00 00 00
        """);

    private static readonly DataOut DataOutFields = new()
    {
        Final = true, Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x77, TargetTransferTag = 0x1001,
        ExpStatSn = 0x31, DataSn = 2, BufferOffset = 0x20000, DataSegmentLength = 0x2000,
    };

    [Fact]
    public void DataOut_writes_the_vector() => Assert.Equal(DataOutVector, Written(DataOutFields.WriteTo));

    [Fact]
    public void DataOut_reads_the_vector()
    {
        Assert.True(DataOut.TryRead(DataOutVector, out var pdu));
        SameFields(DataOutFields, pdu);
    }

    // ---- Logout Request (11.14): close the connection with CID 3
    internal static readonly byte[] LogoutRequestVector = Hex("""
        46 81 00 00   00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 99   00 03 00 00
        00 00 00 40   00 00 00 41
        00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly LogoutRequest LogoutRequestFields = new()
    {
        Immediate = true, ReasonCode = (byte)LogoutReason.CloseConnection, InitiatorTaskTag = 0x99, Cid = 3, CmdSn = 0x40, ExpStatSn = 0x41,
    };

    [Fact]
    public void LogoutRequest_writes_the_vector() => Assert.Equal(LogoutRequestVector, Written(LogoutRequestFields.WriteTo));

    [Fact]
    public void LogoutRequest_reads_the_vector()
    {
        Assert.True(LogoutRequest.TryRead(LogoutRequestVector, out var pdu));
        SameFields(LogoutRequestFields, pdu);
    }

    // ---- SNACK Request (11.16): Status SNACK for StatSN 0x10..0x11
    internal static readonly byte[] SnackRequestVector = Hex("""
        10 81 00 00   00 00 00 00
        00 01 00 00   00 00 00 00
        00 00 00 77   ab cd 00 01
        00 00 00 00   00 00 00 33
        00 00 00 00   00 00 00 00   00 00 00 10   00 00 00 02
        """);

    private static readonly SnackRequest SnackRequestFields = new()
    {
        Type = (byte)SnackType.Status, Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x77, TargetTransferTag = 0xABCD0001,
        ExpStatSn = 0x33, BegRun = 0x10, RunLength = 2,
    };

    [Fact]
    public void SnackRequest_writes_the_vector() => Assert.Equal(SnackRequestVector, Written(SnackRequestFields.WriteTo));

    [Fact]
    public void SnackRequest_reads_the_vector()
    {
        Assert.True(SnackRequest.TryRead(SnackRequestVector, out var pdu));
        SameFields(SnackRequestFields, pdu);
    }
}
