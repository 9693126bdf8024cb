using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;

namespace Iscsi.Tests.Pdu;

/// <summary>Target-side PDUs against hand-written RFC 7143 vectors (4 bytes a row), both directions.</summary>
public class TargetPduVectorTests
{
    // ---- NOP-In (11.19): unsolicited ping from the target (ITT 0xffffffff, TTT set)
    internal static readonly byte[] NopInVector = Hex("""
        20 80 00 00   00 00 00 05
        00 02 00 00   00 00 00 00
        ff ff ff ff   0a 0b 0c 0d
        01 02 03 04   05 06 07 08
        09 0a 0b 0c   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly NopIn NopInFields = new()
    {
        Lun = 0x0002_0000_0000_0000, InitiatorTaskTag = 0xFFFFFFFF, TargetTransferTag = 0x0A0B0C0D,
        StatSn = 0x01020304, ExpCmdSn = 0x05060708, MaxCmdSn = 0x090A0B0C, DataSegmentLength = 5,
    };

    [Fact]
    public void NopIn_writes_the_vector() => Assert.Equal(NopInVector, Written(NopInFields.WriteTo));

    [Fact]
    public void NopIn_reads_the_vector()
    {
        Assert.True(NopIn.TryRead(NopInVector, out var pdu));
        SameFields(NopInFields, pdu);
    }

    // ---- SCSI Response (11.4): CHECK CONDITION with 20 bytes of sense data, u and U set
    internal static readonly byte[] ScsiResponseVector = Hex("""
        21 8a 00 02   00 00 00 14
        00 00 00 00   00 00 00 00
        00 00 00 07   00 00 00 00
        00 00 01 00   00 00 00 21
        00 00 00 40   00 00 00 03   00 00 00 11   00 00 02 00
        """);

    private static readonly ScsiResponse ScsiResponseFields = new()
    {
        BidiOverflow = false, BidiUnderflow = true, Overflow = false, Underflow = true, Response = 0, Status = 0x02,
        DataSegmentLength = 20, InitiatorTaskTag = 7, SnackTag = 0, StatSn = 0x100, ExpCmdSn = 0x21, MaxCmdSn = 0x40,
        ExpDataSn = 3, BidirectionalReadResidualCount = 0x11, ResidualCount = 0x200,
    };

    [Fact]
    public void ScsiResponse_writes_the_vector() => Assert.Equal(ScsiResponseVector, Written(ScsiResponseFields.WriteTo));

    [Fact]
    public void ScsiResponse_reads_the_vector()
    {
        Assert.True(ScsiResponse.TryRead(ScsiResponseVector, out var pdu));
        SameFields(ScsiResponseFields, pdu);
    }

    [Theory]
    [InlineData(0x10, true, false, false, false)]   // o: bidi read residual overflow
    [InlineData(0x08, false, true, false, false)]   // u
    [InlineData(0x04, false, false, true, false)]   // O: residual overflow
    [InlineData(0x02, false, false, false, true)]   // U
    public void ScsiResponse_residual_bits_sit_where_the_rfc_puts_them(byte bit, bool o, bool u, bool bigO, bool bigU)
    {
        var bhs = Written(new ScsiResponse { BidiOverflow = o, BidiUnderflow = u, Overflow = bigO, Underflow = bigU }.WriteTo);
        Assert.Equal(0x80 | bit, bhs[1]);
        Assert.True(ScsiResponse.TryRead(bhs, out var pdu));
        Assert.Equal((o, u, bigO, bigU), (pdu.BidiOverflow, pdu.BidiUnderflow, pdu.Overflow, pdu.Underflow));
    }

    // ---- Task Management Function Response (11.6): function not supported
    internal static readonly byte[] TaskManagementResponseVector = Hex("""
        22 80 05 00   00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 30   00 00 00 00
        00 00 01 01   00 00 00 56
        00 00 00 75   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly TaskManagementResponse TaskManagementResponseFields = new()
    {
        Response = 5, InitiatorTaskTag = 0x30, StatSn = 0x101, ExpCmdSn = 0x56, MaxCmdSn = 0x75,
    };

    [Fact]
    public void TaskManagementResponse_writes_the_vector() => Assert.Equal(TaskManagementResponseVector, Written(TaskManagementResponseFields.WriteTo));

    [Fact]
    public void TaskManagementResponse_reads_the_vector()
    {
        Assert.True(TaskManagementResponse.TryRead(TaskManagementResponseVector, out var pdu));
        SameFields(TaskManagementResponseFields, pdu);
    }

    // ---- Login Response (11.13): initiator error 02/01 (authentication failure)
    internal static readonly byte[] LoginResponseVector = Hex("""
        23 87 00 00   00 00 00 20
        80 12 34 56   78 9a 01 02
        00 00 00 04   00 00 00 00
        00 00 10 00   00 00 00 02
        00 00 00 21   02 01 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly LoginResponse LoginResponseFields = new()
    {
        Transit = true, Continue = false, CurrentStage = 1, NextStage = 3, VersionMax = 0, VersionActive = 0,
        DataSegmentLength = 0x20, Isid = 0x8012_3456_789A, Tsih = 0x0102, InitiatorTaskTag = 4, StatSn = 0x1000,
        ExpCmdSn = 2, MaxCmdSn = 0x21, StatusClass = 2, StatusDetail = 1,
    };

    [Fact]
    public void LoginResponse_writes_the_vector() => Assert.Equal(LoginResponseVector, Written(LoginResponseFields.WriteTo));

    [Fact]
    public void LoginResponse_reads_the_vector()
    {
        Assert.True(LoginResponse.TryRead(LoginResponseVector, out var pdu));
        SameFields(LoginResponseFields, pdu);
    }

    // ---- Text Response (11.11)
    internal static readonly byte[] TextResponseVector = Hex("""
        24 80 00 00   00 00 03 e8
        00 00 00 00   00 00 00 00
        00 00 00 09   12 34 56 78
        00 00 00 05   00 00 00 04
        00 00 00 23   00 00 00 00   00 00 00 00   00 00 00 00
        """);

    private static readonly TextResponse TextResponseFields = new()
    {
        Final = true, Continue = false, Lun = 0, InitiatorTaskTag = 9, TargetTransferTag = 0x12345678,
        StatSn = 5, ExpCmdSn = 4, MaxCmdSn = 0x23, DataSegmentLength = 1000,
    };

    [Fact]
    public void TextResponse_writes_the_vector() => Assert.Equal(TextResponseVector, Written(TextResponseFields.WriteTo));

    [Fact]
    public void TextResponse_reads_the_vector()
    {
        Assert.True(TextResponse.TryRead(TextResponseVector, out var pdu));
        SameFields(TextResponseFields, pdu);
    }

    [Fact]
    public void TextResponse_continue_bit()
    {
        var bhs = Written(new TextResponse { Continue = true }.WriteTo);
        Assert.Equal(0x40, bhs[1]);
    }

    // ---- SCSI Data-In (11.7): last PDU with phase-collapsed status BUSY, U and S set
    internal static readonly byte[] DataInVector = Hex("""
        25 83 00 08   00 00 1e 00
        00 01 00 00   00 00 00 00
        00 00 00 77   ff ff ff ff
        00 00 00 32   00 00 00 78
        00 00 00 97   00 00 00 01   00 00 20 00   00 00 02 00
        """);

    private static readonly DataIn DataInFields = new()
    {
        Final = true, Acknowledge = false, Overflow = false, Underflow = true, HasStatus = true, Status = 0x08,
        Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x77, TargetTransferTag = 0xFFFFFFFF, StatSn = 0x32,
        ExpCmdSn = 0x78, MaxCmdSn = 0x97, DataSn = 1, BufferOffset = 0x2000, ResidualCount = 0x200, DataSegmentLength = 0x1E00,
    };

    [Fact]
    public void DataIn_writes_the_vector() => Assert.Equal(DataInVector, Written(DataInFields.WriteTo));

    [Fact]
    public void DataIn_reads_the_vector()
    {
        Assert.True(DataIn.TryRead(DataInVector, out var pdu));
        SameFields(DataInFields, pdu);
    }

    [Theory]
    [InlineData(0x40, true, false)]   // A
    [InlineData(0x04, false, true)]   // O
    public void DataIn_acknowledge_and_overflow_bits(byte bit, bool acknowledge, bool overflow)
    {
        var bhs = Written(new DataIn { Acknowledge = acknowledge, Overflow = overflow }.WriteTo);
        Assert.Equal(bit, bhs[1]);
        Assert.True(DataIn.TryRead(bhs, out var pdu));
        Assert.Equal((acknowledge, overflow, false, false, false), (pdu.Acknowledge, pdu.Overflow, pdu.Underflow, pdu.HasStatus, pdu.Final));
    }

    // ---- Logout Response (11.15)
    internal static readonly byte[] LogoutResponseVector = Hex("""
        26 80 02 00   00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 99   00 00 00 00
        00 00 00 42   00 00 00 41
        00 00 00 60   00 00 00 00   00 02 00 14   00 00 00 00
        """);

    private static readonly LogoutResponse LogoutResponseFields = new()
    {
        Response = (byte)LogoutResponseCode.ConnectionRecoveryNotSupported, InitiatorTaskTag = 0x99, StatSn = 0x42,
        ExpCmdSn = 0x41, MaxCmdSn = 0x60, Time2Wait = 2, Time2Retain = 20,
    };

    [Fact]
    public void LogoutResponse_writes_the_vector() => Assert.Equal(LogoutResponseVector, Written(LogoutResponseFields.WriteTo));

    [Fact]
    public void LogoutResponse_reads_the_vector()
    {
        Assert.True(LogoutResponse.TryRead(LogoutResponseVector, out var pdu));
        SameFields(LogoutResponseFields, pdu);
    }

    // ---- R2T (11.8)
    internal static readonly byte[] ReadyToTransferVector = Hex("""
        31 80 00 00   00 00 00 00
        00 01 00 00   00 00 00 00
        00 00 00 77   00 00 10 01
        00 00 00 31   00 00 00 78
        00 00 00 97   00 00 00 01   00 01 00 00   00 04 00 00
        """);

    private static readonly ReadyToTransfer ReadyToTransferFields = new()
    {
        Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x77, TargetTransferTag = 0x1001, StatSn = 0x31,
        ExpCmdSn = 0x78, MaxCmdSn = 0x97, R2TSn = 1, BufferOffset = 0x10000, DesiredDataTransferLength = 0x40000,
    };

    [Fact]
    public void ReadyToTransfer_writes_the_vector() => Assert.Equal(ReadyToTransferVector, Written(ReadyToTransferFields.WriteTo));

    [Fact]
    public void ReadyToTransfer_reads_the_vector()
    {
        Assert.True(ReadyToTransfer.TryRead(ReadyToTransferVector, out var pdu));
        SameFields(ReadyToTransferFields, pdu);
    }

    // ---- Asynchronous Message (11.9): drop connection CID 1, Time2Wait 2, Time2Retain 20
    internal static readonly byte[] AsyncMessageVector = Hex("""
        32 80 00 00   00 00 00 00
        00 01 00 00   00 00 00 00
        ff ff ff ff   00 00 00 00
        00 00 00 50   00 00 00 60
        00 00 00 7f   02 5a 00 01   00 02 00 14   00 00 00 00
        """);

    private static readonly AsyncMessage AsyncMessageFields = new()
    {
        Lun = 0x0001_0000_0000_0000, StatSn = 0x50, ExpCmdSn = 0x60, MaxCmdSn = 0x7F,
        AsyncEvent = (byte)AsyncEventCode.DropConnection, AsyncVCode = 0x5A, Parameter1 = 1, Parameter2 = 2, Parameter3 = 20,
        DataSegmentLength = 0,
    };

    [Fact]
    public void AsyncMessage_writes_the_vector() => Assert.Equal(AsyncMessageVector, Written(AsyncMessageFields.WriteTo));

    [Fact]
    public void AsyncMessage_reads_the_vector()
    {
        Assert.True(AsyncMessage.TryRead(AsyncMessageVector, out var pdu));
        SameFields(AsyncMessageFields, pdu);
    }

    // ---- Reject (11.17): invalid PDU field, the 48-byte rejected header follows as data
    internal static readonly byte[] RejectVector = Hex("""
        3f 80 09 00   00 00 00 30
        00 00 00 00   00 00 00 00
        ff ff ff ff   00 00 00 00
        00 00 00 51   00 00 00 61
        00 00 00 80   00 00 00 03   00 00 00 00   00 00 00 00
        """);

    private static readonly Reject RejectFields = new()
    {
        Reason = (byte)RejectReason.InvalidPduField, StatSn = 0x51, ExpCmdSn = 0x61, MaxCmdSn = 0x80,
        DataSnOrR2TSn = 3, DataSegmentLength = 48,
    };

    [Fact]
    public void Reject_writes_the_vector() => Assert.Equal(RejectVector, Written(RejectFields.WriteTo));

    [Fact]
    public void Reject_reads_the_vector()
    {
        Assert.True(Reject.TryRead(RejectVector, out var pdu));
        SameFields(RejectFields, pdu);
    }
}
