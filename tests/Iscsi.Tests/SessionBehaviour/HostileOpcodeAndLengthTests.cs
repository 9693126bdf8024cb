using System.Buffers.Binary;
using Iscsi.Pdu;
using Iscsi.Tests.Fakes;
using static Iscsi.Tests.SessionBehaviour.HostilePduTests;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Hostile framing: every opcode a target may not send in full feature phase, data segments at and just
/// past our limit, AHS areas that lie. Each is refused with its ErrorId and the connection closed (see
/// <see cref="HostilePduTests.AssertHostileAsync"/>), or, for the controls, accepted.</summary>
public sealed class HostileOpcodeAndLengthTests
{
    private static readonly Opcode[] TargetOpcodesInFullFeaturePhase =
    [
        Opcode.NopIn, Opcode.ScsiResponse, Opcode.TaskManagementResponse, Opcode.TextResponse, Opcode.DataIn,
        Opcode.LogoutResponse, Opcode.ReadyToTransfer, Opcode.AsyncMessage, Opcode.Reject,
    ];

    /// <summary>All 64 opcodes but the nine a target sends in full feature phase: the initiator opcodes, the Login
    /// Response, and every undefined value.</summary>
    public static TheoryData<byte> ForbiddenOpcodes()
    {
        var data = new TheoryData<byte>();
        for (int opcode = 0; opcode <= Bhs.OpcodeMask; opcode++)
            if (!TargetOpcodesInFullFeaturePhase.Contains((Opcode)opcode)) data.Add((byte)opcode);
        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenOpcodes))]
    public Task Every_opcode_a_target_may_not_send_in_full_feature_phase_is_refused(byte opcode) =>
        AssertHostileAsync((c, cmd) => c.SendPduAsync(b =>
        {
            b[0] = opcode;
            b[1] = 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(16), cmd.InitiatorTaskTag);
        }), Commands.Read(512), "UnexpectedOpcode", $"0x{opcode:X2}");

    [Fact]
    public Task A_data_segment_one_byte_past_our_MaxRecvDataSegmentLength_is_refused() =>
        AssertHostileAsync((c, cmd) => c.SendPduAsync(b =>
            new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, TargetTransferTag = Bhs.ReservedTag, DataSegmentLength = 8193 }.WriteTo(b)),
            Commands.Read(16384), "DataSegmentTooLong", "8193", options: FakeTarget.Options(o => o.MaxRecvDataSegmentLength = 8192));

    [Fact]
    public async Task A_data_segment_exactly_at_our_MaxRecvDataSegmentLength_is_accepted()
    {
        await using var fake = new FakeTarget((c, pdu) => pdu.Opcode != Opcode.ScsiCommand ? c.AnswerDefaultAsync(pdu)
            : c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag, Final = true, HasStatus = true }, Commands.Pattern(8192)));
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.MaxRecvDataSegmentLength = 8192));
        var result = await session.ExecuteAsync(Commands.Read(8192));
        Assert.Equal(Commands.Pattern(8192), result.Data.ToArray());
    }

    [Fact]
    public Task A_full_ahs_area_whose_entry_claims_more_than_it_holds_is_refused() =>
        AssertHostileAsync((c, cmd) => c.SendRawAsync(WithAhs(c, cmd, ahsWords: 255, ahsLength: 0xFFFF)),
            Commands.Read(512), "AhsMalformed", "AHSLength 65535");

    [Fact]
    public Task An_ahs_entry_one_byte_longer_than_its_area_is_refused() =>
        // 2 words = 8 bytes; AHSLength 6 needs PadTo4(3 + 6) = 12.
        AssertHostileAsync((c, cmd) => c.SendRawAsync(WithAhs(c, cmd, ahsWords: 2, ahsLength: 6)),
            Commands.Read(512), "AhsMalformed", "AHSLength 6");

    [Fact]
    public async Task A_well_formed_ahs_is_skipped_and_the_pdu_accepted()
    {
        await using var fake = new FakeTarget((c, pdu) => pdu.Opcode != Opcode.ScsiCommand ? c.AnswerDefaultAsync(pdu)
            : c.SendRawAsync(WithAhs(c, pdu, ahsWords: 2, ahsLength: 5, status: true)));
        await using var session = await fake.ConnectAsync();
        var result = await session.ExecuteAsync(Commands.TestUnitReady());
        Assert.True(result.IsGood, result.ToString());
        Assert.True(session.IsConnected);
    }

    /// <summary>A SCSI Response (status) or a Data-In header with an AHS area of <paramref name="ahsWords"/> words
    /// whose first entry declares <paramref name="ahsLength"/>; no data segment.</summary>
    private static byte[] WithAhs(FakeConnection c, ReceivedPdu cmd, int ahsWords, ushort ahsLength, bool status = false)
    {
        var pdu = new byte[Bhs.Length + ahsWords * 4];
        var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: status);
        if (status)
            new ScsiResponse { InitiatorTaskTag = cmd.InitiatorTaskTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(pdu);
        else
            new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, TargetTransferTag = Bhs.ReservedTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(pdu);
        pdu[Bhs.TotalAhsLengthOffset] = (byte)ahsWords;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(Bhs.Length), ahsLength);
        pdu[Bhs.Length + 2] = (byte)AhsType.BidirectionalReadDataLength;
        return pdu;
    }
}
