using System.Buffers.Binary;
using System.Text;
using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>After a reconnect the session checks that each LU it knew is still the same one (designators, serial,
/// capacity) before anything is sent to it; a changed LU gets neither the repeated write nor any later command.</summary>
public sealed class LunIdentityTests
{
    /// <summary>A fake LU: what READ CAPACITY(16) and the VPD pages 80h/83h say, per connection.</summary>
    private sealed record FakeLu(string Serial, ulong Naa, ulong Blocks);

    /// <summary>Serves LUN 1 as <paramref name="luOn"/>(connection index) says; drops the first connection when its
    /// first WRITE arrives; answers everything else as a healthy target.</summary>
    private static FakeScript Serving(Func<int, FakeLu> luOn) => async (c, pdu) =>
    {
        if (pdu.Opcode != Opcode.ScsiCommand) { await c.AnswerDefaultAsync(pdu); return; }
        var cdb = pdu.ScsiCommand.Cdb.Span;
        var lu = luOn(c.Index);
        byte[]? data = cdb[0] switch
        {
            0x9E => Capacity16(lu.Blocks),
            0x12 when (cdb[1] & 1) == 1 && cdb[2] == 0x80 => SerialPage(lu.Serial),
            0x12 when (cdb[1] & 1) == 1 && cdb[2] == 0x83 => IdentificationPage(lu.Naa),
            _ => null,
        };
        if (data is not null)
        {
            await c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag, Final = true, HasStatus = true }, data);
            return;
        }
        if (cdb[0] == 0x2A && c.Index == 0) { c.Close(); return; }
        await c.AnswerDefaultAsync(pdu);
    };

    private static byte[] Capacity16(ulong blocks)
    {
        var data = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(data, blocks - 1);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), 512);
        return data;
    }

    private static byte[] SerialPage(string serial)
    {
        var text = Encoding.ASCII.GetBytes(serial);
        var page = new byte[4 + text.Length];
        page[1] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(2), (ushort)text.Length);
        text.CopyTo(page, 4);
        return page;
    }

    private static byte[] IdentificationPage(ulong naa)
    {
        // One designator: binary code set, association "logical unit", type NAA, 8 bytes.
        var page = new byte[4 + 4 + 8];
        page[1] = 0x83;
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(2), 12);
        page[4] = 0x01;
        page[5] = 0x03;
        page[7] = 8;
        BinaryPrimitives.WriteUInt64BigEndian(page.AsSpan(8), naa);
        return page;
    }

    private static IscsiSessionOptions Reconnecting() => FakeTarget.Options(o =>
    {
        o.ReconnectAttempts = null;
        o.ReconnectTimeout = TimeSpan.FromSeconds(20);
        o.DefaultTime2Wait = 0;
    });

    private static int WritesOn(FakeTarget fake, int connection)
        => fake.Received.Count(p => p.ConnectionIndex == connection && p.Opcode == Opcode.ScsiCommand && p.ScsiCommand.Cdb.Span[0] == 0x2A);

    private static readonly FakeLu Original = new("SERIAL-A", 0x6000000000000001, 2048);

    [Theory]
    [InlineData("SERIAL-B", 0x6000000000000001UL, 2048UL, "unit serial number (VPD 80h) was SERIAL-A, is now SERIAL-B")]   // another serial
    [InlineData("SERIAL-A", 0x6000000000000002UL, 2048UL, "were Naa:6000000000000001, are now Naa:6000000000000002")] // another designator
    [InlineData("SERIAL-A", 0x6000000000000001UL, 4096UL, "capacity was 2048 blocks of 512 bytes, is now 4096 blocks of 512 bytes")]       // another capacity
    public async Task A_write_in_flight_is_not_sent_to_another_lu_after_a_reconnect(string serial, ulong naa, ulong blocks, string named)
    {
        var replacement = new FakeLu(serial, naa, blocks);
        await using var fake = new FakeTarget(Serving(index => index == 0 ? Original : replacement));
        await using var session = await fake.ConnectAsync(Reconnecting());
        await session.GetCapacityAsync(1); // the session learns the LU (capacity, serial, designators)

        var error = await Assert.ThrowsAsync<LogicalUnitChangedException>(() =>
            session.WriteBlocksAsync(1, 0, 512, Commands.Pattern(512)).WaitAsync(FakeTarget.Patience));

        Assert.Equal("LogicalUnitChanged", error.ErrorId);
        Assert.Equal(1, error.Lun);
        Assert.Contains("LUN 1 is not the logical unit the session knew", error.Message);
        Assert.Contains(named, error.Message);
        Assert.Equal(0, WritesOn(fake, 1)); // nothing reached the new LU
        // Nor does anything later: the LUN is refused on this session; other LUNs still work.
        var later = await Assert.ThrowsAsync<LogicalUnitChangedException>(() => session.ExecuteAsync(Commands.TestUnitReady(1)));
        Assert.Equal(1, later.Lun);
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady(2)).WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.Equal(0, WritesOn(fake, 1));
    }

    [Fact]
    public async Task The_same_lu_gets_the_repeated_write()
    {
        await using var fake = new FakeTarget(Serving(_ => Original));
        await using var session = await fake.ConnectAsync(Reconnecting());
        await session.GetCapacityAsync(1);

        var result = await session.WriteBlocksAsync(1, 0, 512, Commands.Pattern(512)).WaitAsync(FakeTarget.Patience);

        Assert.True(result.IsGood);
        Assert.Equal(1, WritesOn(fake, 1));
        // The check ran on the new connection before the write: READ CAPACITY(16), VPD 83h, VPD 80h.
        var onNew = fake.Received.Where(p => p.ConnectionIndex == 1 && p.Opcode == Opcode.ScsiCommand).Select(p => p.ScsiCommand.Cdb.Span[0]).ToArray();
        Assert.Equal([0x9E, 0x12, 0x12, 0x2A], onNew);
    }

    [Fact]
    public async Task A_session_that_never_learned_a_lu_does_not_check_it()
    {
        await using var fake = new FakeTarget(Serving(index => index == 0 ? Original : Original with { Serial = "OTHER" }));
        await using var session = await fake.ConnectAsync(Reconnecting());

        var result = await session.ExecuteAsync(Commands.Write(Commands.Pattern(512), lun: 1)).WaitAsync(FakeTarget.Patience);

        Assert.True(result.IsGood); // no identity known for LUN 1: nothing to compare (documented limit)
        Assert.Equal(1, WritesOn(fake, 1));
    }

    [Fact]
    public async Task A_first_write_through_the_block_helpers_learns_the_lu_so_a_swap_is_caught()
    {
        var other = Original with { Serial = "SERIAL-B" };
        await using var fake = new FakeTarget(Serving(index => index == 0 ? Original : other));
        await using var session = await fake.ConnectAsync(Reconnecting());

        // No READ CAPACITY asked by the caller: WriteBlocksAsync learns the LU itself before its first write.
        var error = await Assert.ThrowsAsync<LogicalUnitChangedException>(() =>
            session.WriteBlocksAsync(1, 0, 512, Commands.Pattern(512)).WaitAsync(FakeTarget.Patience));

        Assert.Contains("was SERIAL-A, is now SERIAL-B", error.Message);
        Assert.Equal(0, WritesOn(fake, 1));
    }

    [Fact]
    public async Task A_command_started_during_the_reconnect_is_not_sent_to_a_changed_lu()
    {
        var other = Original with { Serial = "SERIAL-B" };
        // Connection 0 closes on a WRITE to LUN 2 (not learned, so simply repeated); the reconnect waits 1 s, and a
        // write to LUN 1 started meanwhile waits for it - then must meet the identity check's verdict, not the wire.
        FakeScript serve = async (c, pdu) =>
        {
            if (pdu.Opcode == Opcode.ScsiCommand && pdu.ScsiCommand.Cdb.Span[0] == 0x2A && LunEncoding.Decode(pdu.ScsiCommand.Lun) == 2 && c.Index == 0)
            {
                c.Close();
                return;
            }
            await Serving(index => index == 0 ? Original : other)(c, pdu);
        };
        await using var fake = new FakeTarget(serve);
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o =>
        {
            o.ReconnectAttempts = null;
            o.ReconnectTimeout = TimeSpan.FromSeconds(20);
            o.DefaultTime2Wait = 1;
        }));
        await session.GetCapacityAsync(1);

        var toLun2 = session.ExecuteAsync(Commands.Write(Commands.Pattern(512), lun: 2)); // raw: LUN 2 stays unlearned
        await FakeTarget.EventuallyAsync(() => session.Statistics.ConnectionLosses >= 1, "the session sees the loss");
        Assert.Equal(SessionState.Reconnecting, session.State);
        var toLun1 = session.WriteBlocksAsync(1, 0, 512, Commands.Pattern(512));

        await Assert.ThrowsAsync<LogicalUnitChangedException>(() => toLun1.WaitAsync(FakeTarget.Patience));
        Assert.True((await toLun2.WaitAsync(FakeTarget.Patience)).IsGood);
        Assert.DoesNotContain(fake.Received, p => p.ConnectionIndex == 1 && p.Opcode == Opcode.ScsiCommand
            && p.ScsiCommand.Cdb.Span[0] == 0x2A && LunEncoding.Decode(p.ScsiCommand.Lun) == 1);
    }
}
