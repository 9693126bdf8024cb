using System.Buffers.Binary;
using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>
/// A target sending a malformed or hostile PDU in answer to the first command: that command fails with an
/// IscsiProtocolException carrying the specific ErrorId, the connection is closed (IsConnected false, Failure
/// set, the target sees the close), nothing hangs, and a new session to the same target works.
/// </summary>
public sealed class HostilePduTests
{
    [Fact]
    public Task A_data_segment_beyond_our_MaxRecvDataSegmentLength_is_refused_before_any_of_it_is_read() =>
        AssertHostileAsync((c, cmd) => c.SendPduAsync(b =>
            new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, DataSegmentLength = 0xFFFFFF, TargetTransferTag = 0xFFFFFFFF }.WriteTo(b)),
            Commands.Read(512), "DataSegmentTooLong", "16777215");

    [Theory]
    [InlineData(0u, 1024)]   // longer than the 512 bytes expected
    [InlineData(512u, 4)]    // starts at the end
    [InlineData(0xFFFFFF00u, 512)] // offset near 2^32: must not wrap around
    public Task Data_in_past_the_expected_length_is_refused(uint offset, int length) =>
        AssertHostileAsync((c, cmd) => c.SendDataInAsync(new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, BufferOffset = offset }, new byte[length]),
            Commands.Read(512), "DataInBeyondExpectedLength", offset.ToString());

    [Fact]
    public Task A_response_for_a_task_tag_not_in_flight_is_refused() =>
        AssertHostileAsync((c, cmd) => c.SendGoodAsync(cmd.InitiatorTaskTag ^ 0x00F00000),
            Commands.Read(512), "UnknownTaskTag", "not a command in flight");

    [Theory]
    [InlineData(0x00)] // NOP-Out
    [InlineData(0x01)] // SCSI Command
    [InlineData(0x05)] // SCSI Data-Out
    [InlineData(0x23)] // Login Response: a target opcode, but not in full feature phase
    [InlineData(0x3c)] // undefined
    public Task An_opcode_a_target_never_sends_in_full_feature_phase_is_refused(byte opcode) =>
        AssertHostileAsync((c, cmd) => c.SendPduAsync(b =>
        {
            b[0] = opcode;
            b[1] = 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(16), cmd.InitiatorTaskTag);
        }), Commands.Read(512), "UnexpectedOpcode", $"0x{opcode:X2}");

    [Fact]
    public Task An_ahs_overrunning_its_area_is_refused() =>
        AssertHostileAsync((c, cmd) =>
        {
            // A Data-In with TotalAHSLength = 1 word, whose one AHS claims AHSLength 256 (RFC 7143 11.2.2).
            var pdu = new byte[Bhs.Length + 4];
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: false);
            new DataIn { InitiatorTaskTag = cmd.InitiatorTaskTag, TargetTransferTag = 0xFFFFFFFF, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(pdu);
            pdu[4] = 1;
            pdu[Bhs.Length] = 0x01; pdu[Bhs.Length + 1] = 0x00; pdu[Bhs.Length + 2] = 0x01;
            return c.SendRawAsync(pdu);
        }, Commands.Read(512), "AhsMalformed", "AHSLength 256");

    [Theory]
    [InlineData(0u, 4096u)] // longer than the 512-byte write
    [InlineData(512u, 1u)]  // past its end
    [InlineData(0u, 0u)]    // nothing at all
    public Task An_r2t_outside_the_write_is_refused(uint offset, uint length) =>
        AssertHostileAsync((c, cmd) => c.SendReadyToTransferAsync(new ReadyToTransfer
        {
            InitiatorTaskTag = cmd.InitiatorTaskTag, TargetTransferTag = 0x77, BufferOffset = offset, DesiredDataTransferLength = length,
        }), Commands.Write(Commands.Pattern(512)), "R2TOutOfRange", "512-byte write",
            new FakeTargetSettings { ImmediateData = false, InitialR2T = true });

    [Theory]
    [InlineData(new byte[] { 0x00, 0x64, 0x70, 0x00 })] // SenseLength 100 in a 4-byte segment
    [InlineData(new byte[] { 0x00 })]                   // not even a whole SenseLength
    public Task A_sense_length_past_the_segment_is_refused(byte[] segment) =>
        AssertHostileAsync((c, cmd) =>
        {
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            return c.SendPduAsync(b => new ScsiResponse
            {
                InitiatorTaskTag = cmd.InitiatorTaskTag, Status = (byte)ScsiStatus.CheckCondition,
                StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = segment.Length,
            }.WriteTo(b), segment);
        }, Commands.Read(512), "SenseLengthInvalid", $"{segment.Length}-byte");

    [Fact]
    public Task A_header_digest_error_is_refused_when_digests_are_negotiated() =>
        AssertHostileAsync((c, cmd) =>
        {
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            return c.SendPduAsync(b => new ScsiResponse { InitiatorTaskTag = cmd.InitiatorTaskTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(b),
                corruptHeaderDigest: true);
        }, Commands.Read(512), "HeaderDigestError", "Header digest",
            new FakeTargetSettings { HeaderDigest = true }, FakeTarget.Options(o => o.HeaderDigest = true));

    [Fact]
    public async Task The_target_closing_the_socket_mid_pdu_fails_the_commands_in_flight()
    {
        int commands = 0;
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand || Interlocked.Increment(ref commands) != 3) return; // hold two, then
            var bhs = new byte[Bhs.Length];
            new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag }.WriteTo(bhs);
            await c.SendRawAsync(bhs.AsMemory(0, 20)); // 20 bytes of a 48-byte header
            c.Close();
        });
        var session = await fake.ConnectAsync();
        var tasks = Enumerable.Range(0, 3).Select(_ => session.ExecuteAsync(Commands.Read(512))).ToArray();

        foreach (var task in tasks)
        {
            var error = await Assert.ThrowsAsync<IscsiConnectionException>(() => task.WaitAsync(FakeTarget.Patience));
            Assert.Contains(error.ErrorId, new[] { "ConnectionClosed", "ConnectionLost" });
        }
        Assert.False(session.IsConnected);
        Assert.IsType<IscsiConnectionException>(session.Failure);
        Assert.Equal(0, session.InFlightCount);
        await session.DisposeAsync().AsTask().WaitAsync(FakeTarget.Patience);
    }

    [Fact]
    public async Task Commands_still_waiting_for_the_window_fail_with_the_error_too()
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { InitialCommandWindow = 0, SlidingCommandWindow = null });
        var session = await fake.ConnectAsync();
        var waiting = Enumerable.Range(0, 3).Select(_ => session.ExecuteAsync(Commands.TestUnitReady())).ToArray();
        await Task.Delay(100);
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        await fake.Connection.SendPduAsync(b => { b[0] = 0x3c; b[1] = 0x80; });

        foreach (var task in waiting)
        {
            var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => task.WaitAsync(FakeTarget.Patience));
            Assert.Equal("UnexpectedOpcode", error.ErrorId);
        }
        Assert.Equal(0, session.InFlightCount);
        Assert.DoesNotContain(fake.Received, p => p.Opcode == Opcode.ScsiCommand);
        await session.DisposeAsync();
    }

    /// <summary>Runs <paramref name="command"/> and a TEST UNIT READY behind it; when the fake has both, it answers the
    /// first with <paramref name="hostile"/>. Checks that both fail with the error, that the connection is closed,
    /// and that a second session (answered normally) works.</summary>
    internal static async Task AssertHostileAsync(Func<FakeConnection, ReceivedPdu, Task> hostile, ScsiCommand command, string errorId,
        string messageNames, FakeTargetSettings? settings = null, IscsiSessionOptions? options = null)
    {
        int commands = 0;
        ReceivedPdu? first = null;
        await using var fake = new FakeTarget((c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand) return c.AnswerDefaultAsync(pdu);
            switch (Interlocked.Increment(ref commands))
            {
                case 1: first = pdu; return Task.CompletedTask;
                case 2: return hostile(c, first!);
                default: return c.AnswerDefaultAsync(pdu);
            }
        }, settings);
        var session = await fake.ConnectAsync(options);

        var target = session.ExecuteAsync(command);
        var bystander = session.ExecuteAsync(Commands.TestUnitReady());
        foreach (var task in new[] { target, bystander })
        {
            var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => task.WaitAsync(FakeTarget.Patience));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(messageNames, error.Message);
        }
        Assert.False(session.IsConnected);
        var failure = Assert.IsType<IscsiProtocolException>(session.Failure);
        Assert.Equal(errorId, failure.ErrorId);
        Assert.Equal(0, session.InFlightCount);
        await fake.Connection.Closed.WaitAsync(FakeTarget.Patience); // we closed the connection
        var later = await Assert.ThrowsAsync<IscsiProtocolException>(() => session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience));
        Assert.Equal(errorId, later.ErrorId);
        await session.DisposeAsync().AsTask().WaitAsync(FakeTarget.Patience);

        await using var fresh = await fake.ConnectAsync(options);
        Assert.True((await fresh.ExecuteAsync(Commands.TestUnitReady())).IsGood);
    }
}
