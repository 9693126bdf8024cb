using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;
using I = Iscsi.Tests.Pdu.InitiatorPduVectorTests;
using T = Iscsi.Tests.Pdu.TargetPduVectorTests;

namespace Iscsi.Tests.Pdu;

/// <summary>What every PDU struct must do with short buffers, foreign opcodes and out-of-range caller values.</summary>
public class PduGuardTests
{
    private sealed record Case(Opcode Opcode, byte[] Vector, Func<byte[], bool> TryRead, BhsWriter Write);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["NopOut"] = new(Opcode.NopOut, I.NopOutVector, b => NopOut.TryRead(b, out _), new NopOut().WriteTo),
        ["ScsiCommand"] = new(Opcode.ScsiCommand, I.Read10CommandVector, b => ScsiCommandRequest.TryRead(b, out _), new ScsiCommandRequest().WriteTo),
        ["TaskManagementRequest"] = new(Opcode.TaskManagementRequest, I.TaskManagementRequestVector, b => TaskManagementRequest.TryRead(b, out _), new TaskManagementRequest().WriteTo),
        ["LoginRequest"] = new(Opcode.LoginRequest, I.LoginRequestVector, b => LoginRequest.TryRead(b, out _), new LoginRequest().WriteTo),
        ["TextRequest"] = new(Opcode.TextRequest, I.TextRequestVector, b => TextRequest.TryRead(b, out _), new TextRequest().WriteTo),
        ["DataOut"] = new(Opcode.DataOut, I.DataOutVector, b => DataOut.TryRead(b, out _), new DataOut().WriteTo),
        ["LogoutRequest"] = new(Opcode.LogoutRequest, I.LogoutRequestVector, b => LogoutRequest.TryRead(b, out _), new LogoutRequest().WriteTo),
        ["SnackRequest"] = new(Opcode.SnackRequest, I.SnackRequestVector, b => SnackRequest.TryRead(b, out _), new SnackRequest().WriteTo),
        ["NopIn"] = new(Opcode.NopIn, T.NopInVector, b => NopIn.TryRead(b, out _), new NopIn().WriteTo),
        ["ScsiResponse"] = new(Opcode.ScsiResponse, T.ScsiResponseVector, b => ScsiResponse.TryRead(b, out _), new ScsiResponse().WriteTo),
        ["TaskManagementResponse"] = new(Opcode.TaskManagementResponse, T.TaskManagementResponseVector, b => TaskManagementResponse.TryRead(b, out _), new TaskManagementResponse().WriteTo),
        ["LoginResponse"] = new(Opcode.LoginResponse, T.LoginResponseVector, b => LoginResponse.TryRead(b, out _), new LoginResponse().WriteTo),
        ["TextResponse"] = new(Opcode.TextResponse, T.TextResponseVector, b => TextResponse.TryRead(b, out _), new TextResponse().WriteTo),
        ["DataIn"] = new(Opcode.DataIn, T.DataInVector, b => DataIn.TryRead(b, out _), new DataIn().WriteTo),
        ["LogoutResponse"] = new(Opcode.LogoutResponse, T.LogoutResponseVector, b => LogoutResponse.TryRead(b, out _), new LogoutResponse().WriteTo),
        ["ReadyToTransfer"] = new(Opcode.ReadyToTransfer, T.ReadyToTransferVector, b => ReadyToTransfer.TryRead(b, out _), new ReadyToTransfer().WriteTo),
        ["AsyncMessage"] = new(Opcode.AsyncMessage, T.AsyncMessageVector, b => AsyncMessage.TryRead(b, out _), new AsyncMessage().WriteTo),
        ["Reject"] = new(Opcode.Reject, T.RejectVector, b => Reject.TryRead(b, out _), new Reject().WriteTo),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Fact]
    public void Every_opcode_has_a_codec()
    {
        Assert.Equal(Enum.GetValues<Opcode>().OrderBy(o => o), Cases.Values.Select(c => c.Opcode).OrderBy(o => o));
    }

    [Theory, MemberData(nameof(Names))]
    public void Vector_carries_its_opcode(string name)
    {
        var c = Cases[name];
        Assert.Equal(c.Opcode, Bhs.GetOpcode(c.Vector));
        Assert.Equal(c.Opcode, Bhs.GetOpcode(Written(c.Write)));
    }

    [Theory, MemberData(nameof(Names))]
    public void TryRead_refuses_a_short_buffer(string name)
    {
        Assert.False(Cases[name].TryRead(Cases[name].Vector[..47]));
        Assert.False(Cases[name].TryRead([]));
    }

    [Theory, MemberData(nameof(Names))]
    public void TryRead_refuses_another_opcode(string name)
    {
        var other = (byte[])Cases[name].Vector.Clone();
        other[0] = (byte)((other[0] & 0xC0) | (((other[0] & 0x3F) + 1) & 0x3F));
        Assert.False(Cases[name].TryRead(other));
    }

    [Theory, MemberData(nameof(Names))]
    public void TryRead_ignores_bytes_after_the_bhs(string name)
    {
        var longer = Cases[name].Vector.Concat(new byte[] { 1, 2, 3, 4 }).ToArray();
        Assert.True(Cases[name].TryRead(longer));
    }

    [Theory, MemberData(nameof(Names))]
    public void WriteTo_refuses_a_short_buffer(string name)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => Cases[name].Write(new byte[47]));
        Assert.Equal("BhsTooShort", ex.ErrorId);
        Assert.Contains("47", ex.Message);
    }

    [Fact]
    public void Cdb_longer_than_16_bytes_is_refused()
    {
        var pdu = new ScsiCommandRequest { Cdb = new byte[17] };
        var ex = Assert.Throws<IscsiArgumentException>(() => pdu.WriteTo(new byte[48]));
        Assert.Equal("CdbTooLong", ex.ErrorId);
        Assert.Contains("17", ex.Message);
    }

    public static TheoryData<string, BhsWriter> FieldsTooWide => new()
    {
        { "Attribute 8", new ScsiCommandRequest { Attribute = 8 }.WriteTo },
        { "Function 128", new TaskManagementRequest { Function = 0x80 }.WriteTo },
        { "ReasonCode 128", new LogoutRequest { ReasonCode = 0x80 }.WriteTo },
        { "Type 16", new SnackRequest { Type = 16 }.WriteTo },
        { "CurrentStage 4", new LoginRequest { CurrentStage = 4 }.WriteTo },
        { "NextStage 4", new LoginResponse { NextStage = 4 }.WriteTo },
    };

    [Theory, MemberData(nameof(FieldsTooWide))]
    public void Values_wider_than_their_bit_field_are_refused(string valueText, BhsWriter write)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => write(new byte[48]));
        Assert.Equal("PduFieldOutOfRange", ex.ErrorId);
        Assert.Contains(valueText, ex.Message);
    }

    [Fact]
    public void Isid_wider_than_48_bits_is_refused()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => new LoginRequest { Isid = 1UL << 48 }.WriteTo(new byte[48]));
        Assert.Equal("IsidOutOfRange", ex.ErrorId);
        Assert.Contains("0x1000000000000", ex.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0x1000000)]
    public void Data_segment_length_outside_24_bits_is_refused(int length)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => new DataOut { DataSegmentLength = length }.WriteTo(new byte[48]));
        Assert.Equal("DataSegmentLengthOutOfRange", ex.ErrorId);
        Assert.Contains(length.ToString(), ex.Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(1024)]
    [InlineData(-4)]
    public void Total_ahs_length_must_be_whole_words_within_the_byte(int length)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => new ScsiCommandRequest { TotalAhsLength = length }.WriteTo(new byte[48]));
        Assert.Equal("TotalAhsLengthOutOfRange", ex.ErrorId);
    }

    [Fact]
    public void Largest_total_ahs_length_round_trips()
    {
        var bhs = Written(new ScsiCommandRequest { TotalAhsLength = 1020 }.WriteTo);
        Assert.Equal(0xFF, bhs[4]);
        Assert.True(ScsiCommandRequest.TryRead(bhs, out var pdu));
        Assert.Equal(1020, pdu.TotalAhsLength);
    }
}
