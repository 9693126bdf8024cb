using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Data-In that stays inside the expected length but is out of sequence: overlapping offsets, DataSN
/// out of order, a hole. We negotiate DataPDUInOrder=Yes, so RFC 7143 (13.18) forbids all three; a read must
/// not report success over data that was written twice or never written.</summary>
public sealed class HostileDataInSequenceTests
{
    [Fact]
    public Task Overlapping_data_in_fails_the_command() =>
        AssertRefusedAsync(
            (new DataIn { BufferOffset = 0, DataSn = 0 }, 512),
            (new DataIn { BufferOffset = 0, DataSn = 1, Final = true, HasStatus = true }, 512));

    [Fact]
    public Task Data_in_with_datasn_out_of_order_fails_the_command() =>
        AssertRefusedAsync(
            (new DataIn { BufferOffset = 256, DataSn = 1 }, 256),
            (new DataIn { BufferOffset = 0, DataSn = 0, Final = true, HasStatus = true }, 256));

    [Fact]
    public Task Data_in_leaving_a_hole_fails_the_command() =>
        AssertRefusedAsync(
            (new DataIn { BufferOffset = 0, DataSn = 0 }, 256),
            (new DataIn { BufferOffset = 384, DataSn = 1, Final = true, HasStatus = true }, 128));

    [Fact]
    public async Task In_order_data_in_in_several_pdus_completes_the_read()
    {
        // The control for the three above: the same 512 bytes in order are accepted.
        var result = await RunAsync(
            (new DataIn { BufferOffset = 0, DataSn = 0 }, 256),
            (new DataIn { BufferOffset = 256, DataSn = 1, Final = true, HasStatus = true }, 256));
        Assert.Equal(512, result.DataInLength);
        Assert.Equal(Commands.Pattern(512), result.Data.ToArray());
    }

    /// <summary>A 512-byte read answered with these Data-In PDUs (data from the pattern at each offset): the read
    /// fails with an IscsiProtocolException, and does not hang.</summary>
    private static async Task AssertRefusedAsync(params (DataIn Template, int Length)[] pdus)
    {
        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() => RunAsync(pdus));
        Assert.Contains("Data-In", error.Message);
        Assert.Equal("DataInOutOfOrder", error.ErrorId);
    }

    private static async Task<Iscsi.Scsi.ScsiResult> RunAsync(params (DataIn Template, int Length)[] pdus)
    {
        byte[] pattern = Commands.Pattern(512);
        await using var fake = new FakeTarget(async (c, pdu) =>
        {
            if (pdu.Opcode != Opcode.ScsiCommand) { await c.AnswerDefaultAsync(pdu); return; }
            foreach (var (template, length) in pdus)
                await c.SendDataInAsync(template with { InitiatorTaskTag = pdu.InitiatorTaskTag },
                    pattern.AsMemory((int)template.BufferOffset, length));
        });
        await using var session = await fake.ConnectAsync();
        return await session.ExecuteAsync(Commands.Read(512)).WaitAsync(FakeTarget.Patience);
    }
}
