using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>The fake target itself: it negotiates what it is told to, serves the default script, and notices
/// what it must notice. The other tests rely on this.</summary>
public sealed class FakeTargetTests
{
    [Fact]
    public async Task Login_answers_with_the_configured_values_and_a_non_zero_tsih()
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings
        {
            MaxRecvDataSegmentLength = 4096, MaxBurstLength = 65536, FirstBurstLength = 8192, ImmediateData = false, InitialR2T = true, Tsih = 0x0BAD,
        });
        await using var session = await fake.ConnectAsync();
        var n = session.Negotiated;
        Assert.Equal(4096, n.TargetMaxRecvDataSegmentLength);
        Assert.Equal(65536, n.MaxBurstLength);
        Assert.Equal(8192, n.FirstBurstLength);
        Assert.False(n.ImmediateData);
        Assert.True(n.InitialR2T);
        Assert.False(n.HeaderDigest);
        Assert.False(n.DataDigest);
        Assert.Equal((ushort)0x0BAD, session.Tsih);
        Assert.Contains(new KeyValuePair<string, string>("TargetName", FakeTarget.TargetName), fake.Connection.LoginKeys);
    }

    [Fact]
    public async Task Crc32c_digests_are_negotiated_when_both_sides_want_them()
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { HeaderDigest = true, DataDigest = true });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => { o.HeaderDigest = true; o.DataDigest = true; }));
        Assert.True(session.Negotiated.HeaderDigest);
        Assert.True(session.Negotiated.DataDigest);
        var result = await session.ExecuteAsync(Commands.Read(1000));
        Assert.True(result.IsGood, result.ToString());
        Assert.Equal(1000, result.DataInLength);
        await session.PingAsync();
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task The_default_script_serves_reads_writes_pings_and_logout_and_records_every_pdu()
    {
        await using var fake = new FakeTarget();
        var session = await fake.ConnectAsync();
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady())).IsGood);
        var read = await session.ExecuteAsync(Commands.Read(20000));
        Assert.Equal(20000, read.DataInLength);
        Assert.True((await session.ExecuteAsync(Commands.Write(Commands.Pattern(1024)))).IsGood);
        await session.PingAsync();
        await session.DisposeAsync();

        var opcodes = fake.Received.Select(p => p.Opcode).ToArray();
        Assert.Equal([Opcode.ScsiCommand, Opcode.ScsiCommand, Opcode.ScsiCommand, Opcode.NopOut, Opcode.LogoutRequest], opcodes);
        Assert.Equal(Commands.Pattern(1024), fake.Received[2].Data); // the write went as immediate data
        await fake.Connection.Closed.WaitAsync(FakeTarget.Patience);
        Assert.Empty(fake.Violations);
        Assert.False(session.IsConnected);
    }
}
