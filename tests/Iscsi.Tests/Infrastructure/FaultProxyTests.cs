using System.Diagnostics;
using System.Net.Sockets;
using Iscsi.Pdu;

namespace Iscsi.Tests.Infrastructure;

/// <summary>The fault proxy itself, against a bare loopback "target" the test writes byte for byte.</summary>
public sealed class FaultProxyTests
{
    private static readonly ProxyDirection ToTarget = ProxyDirection.InitiatorToTarget;
    private static readonly ProxyDirection ToInitiator = ProxyDirection.TargetToInitiator;

    [Fact]
    public async Task Without_rules_every_byte_passes_unchanged_both_ways_and_is_counted()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var up = RandomBytes(1_000_003, 1);
            var down = RandomBytes(777_777, 2);
            var sendUp = initiator.SendAsync(up, SocketFlags.None);
            var sendDown = target.SendAsync(down, SocketFlags.None);
            var gotUp = SocketReads.ReadExactlyAsync(target, up.Length);
            var gotDown = SocketReads.ReadExactlyAsync(initiator, down.Length);
            await Task.WhenAll(sendUp, sendDown);
            Assert.Equal(up, await gotUp);
            Assert.Equal(down, await gotDown);
        }
        Assert.Equal(1, proxy.ConnectionsAccepted);
        Assert.Equal(1_000_003, proxy.BytesForwarded(ToTarget));
        Assert.Equal(777_777, proxy.BytesForwarded(ToInitiator));
        Assert.Equal(0, proxy.FaultsInjected);
    }

    [Fact]
    public async Task Pdus_are_counted_across_any_chunking_without_digests()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var stream = TestPdu.Concat(
                TestPdu.Build(TestPdu.ScsiCommand, 0),
                TestPdu.Build(TestPdu.DataOut, 1),
                TestPdu.Build(TestPdu.DataOut, 5, ahsWords: 2),
                TestPdu.Build(TestPdu.DataOut, 8192),
                TestPdu.Build(TestPdu.ScsiCommand, 3, ahsWords: 1),
                TestPdu.Build(TestPdu.DataOut, 70_001));
            await SocketReads.SendInPiecesAsync(initiator, stream, 1, 7, 48, 3, 1000, 13);
            Assert.Equal(stream, await SocketReads.ReadExactlyAsync(target, stream.Length));
            await WaitUntilAsync(() => proxy.PdusForwarded(ToTarget) == 6);
            Assert.Equal(0, proxy.PdusForwarded(ToInitiator));
        }
    }

    [Fact]
    public async Task With_digests_login_pdus_have_none_and_every_pdu_after_the_final_login_response_has_them()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port, new FaultProxyOptions { HeaderDigest = true, DataDigest = true });
        // Aimed at the 2nd Data-In's data: it lands at the right byte only if the framer skipped the login PDUs
        // without digests and every later header digest, data padding and data digest.
        var flip = proxy.Add(FaultRule.FlipDataBit(ToInitiator, Opcode.DataIn, occurrence: 2, byteOffset: 5, bit: 6));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var login = TestPdu.Build(TestPdu.LoginRequest, 30, flags: 0x87);
            await initiator.SendAsync(login, SocketFlags.None);
            Assert.Equal(login, await SocketReads.ReadExactlyAsync(target, login.Length));
            // A non-final response (T=0) keeps the login going; the final one (T=1, NSG=3, status 0) ends it.
            var responses = TestPdu.Concat(TestPdu.LoginResponseOf(final: false), TestPdu.LoginResponseOf(final: true, dataLength: 13));
            await target.SendAsync(responses, SocketFlags.None);
            Assert.Equal(responses, await SocketReads.ReadExactlyAsync(initiator, responses.Length));

            var commands = TestPdu.Concat(TestPdu.Build(TestPdu.ScsiCommand, 0, digests: true), TestPdu.Build(TestPdu.DataOut, 6, digests: true));
            await SocketReads.SendInPiecesAsync(initiator, commands, 5, 11);
            Assert.Equal(commands, await SocketReads.ReadExactlyAsync(target, commands.Length));

            var first = TestPdu.Build(TestPdu.DataIn, 10, digests: true, ahsWords: 1);
            var second = TestPdu.Build(TestPdu.DataIn, 9, digests: true);
            var status = TestPdu.Build(TestPdu.ScsiResponse, 0, digests: true);
            var data = TestPdu.Concat(first, second, status);
            await SocketReads.SendInPiecesAsync(target, data, 3);
            var received = await SocketReads.ReadExactlyAsync(initiator, data.Length);

            int expectedAt = first.Length + TestPdu.DataOffset(digests: true) + 5;
            AssertExactlyOneBitDiffers(data, received, expectedAt, bit: 6);
            await WaitUntilAsync(() => proxy.PdusForwarded(ToTarget) == 3 && proxy.PdusForwarded(ToInitiator) == 5);
        }
        Assert.Equal(1, flip.FiredCount);
    }

    [Fact]
    public async Task Drop_after_n_bytes_forwards_exactly_n_then_closes_both_ends()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        var drop = proxy.Add(FaultRule.DropAfterBytes(ToTarget, 1000, DropStyle.Graceful));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var data = RandomBytes(5000, 3);
            await SocketReads.SendInPiecesAsync(initiator, data, 999, 2, 4000);
            var (got, _) = await SocketReads.ReadToEndAsync(target);
            Assert.Equal(data[..1000], got);
            var (back, _) = await SocketReads.ReadToEndAsync(initiator); // ends: the proxy closed the initiator's side too
            Assert.Empty(back);
        }
        Assert.Equal(1, drop.FiredCount);
        Assert.Equal(1000, proxy.BytesForwarded(ToTarget));
        await WaitUntilAsync(() => proxy.ActiveConnections == 0);
    }

    [Fact]
    public async Task Drop_after_n_bytes_acts_as_soon_as_byte_n_passes_without_waiting_for_more()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.DropAfterBytes(ToTarget, 300, DropStyle.Graceful));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var data = RandomBytes(300, 8);
            await initiator.SendAsync(data, SocketFlags.None); // exactly N, then silence
            var (got, _) = await SocketReads.ReadToEndAsync(target);
            Assert.Equal(data, got);
        }
    }

    [Fact]
    public async Task A_reset_drop_resets_the_initiator_and_a_reconnect_goes_through_the_proxy_again()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.DropAfterBytes(ToInitiator, 10));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            await target.SendAsync(RandomBytes(100, 4), SocketFlags.None);
            var (got, _) = await SocketReads.ReadToEndAsync(initiator);
            Assert.True(got.Length <= 10, $"{got.Length} bytes passed a drop after 10");
            Assert.Equal(10, proxy.BytesForwarded(ToInitiator));
        }

        // The rule was one-shot: the next connection is proxied cleanly.
        var (again, againTarget) = await server.ConnectThroughAsync(proxy);
        using (again)
        using (againTarget)
        {
            await againTarget.SendAsync(RandomBytes(100, 5), SocketFlags.None);
            Assert.Equal(RandomBytes(100, 5), await SocketReads.ReadExactlyAsync(again, 100));
        }
        Assert.Equal(2, proxy.ConnectionsAccepted);
        Assert.Equal(1, proxy.FaultsInjected);
    }

    [Fact]
    public async Task Header_flip_inverts_exactly_one_bit_of_the_nth_pdu_with_the_opcode()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.FlipHeaderBit(ToInitiator, Opcode.DataIn, occurrence: 3, byteOffset: 20, bit: 3));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var pdus = new[]
            {
                TestPdu.Build(TestPdu.DataIn, 100), TestPdu.Build(TestPdu.ScsiResponse, 0), TestPdu.Build(TestPdu.DataIn, 7),
                TestPdu.Build(TestPdu.ScsiResponse, 0), TestPdu.Build(TestPdu.DataIn, 33), TestPdu.Build(TestPdu.DataIn, 4),
            };
            var stream = TestPdu.Concat(pdus);
            await SocketReads.SendInPiecesAsync(target, stream, 21, 1);
            var received = await SocketReads.ReadExactlyAsync(initiator, stream.Length);
            int thirdDataIn = pdus[0].Length + pdus[1].Length + pdus[2].Length + pdus[3].Length;
            AssertExactlyOneBitDiffers(stream, received, thirdDataIn + 20, bit: 3);
        }
    }

    [Fact]
    public async Task Data_flip_skips_pdus_whose_segment_is_too_short_and_can_hit_the_opcode_byte_of_a_header()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.FlipDataBit(ToTarget, Opcode.DataOut, occurrence: 2, byteOffset: 100, bit: 7));
        proxy.Add(FaultRule.FlipHeaderBit(ToTarget, opcode: null, occurrence: 4, byteOffset: 0, bit: 0));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var pdus = new[]
            {
                TestPdu.Build(TestPdu.DataOut, 500), TestPdu.Build(TestPdu.DataOut, 100), // 100 bytes: offset 100 is past it
                TestPdu.Build(TestPdu.ScsiCommand, 200), TestPdu.Build(TestPdu.DataOut, 101), TestPdu.Build(TestPdu.DataOut, 900),
            };
            var stream = TestPdu.Concat(pdus);
            await SocketReads.SendInPiecesAsync(initiator, stream, 64);
            var received = await SocketReads.ReadExactlyAsync(target, stream.Length);
            int dataFlip = pdus[0].Length + pdus[1].Length + pdus[2].Length + 48 + 100;
            int headerFlip = pdus[0].Length + pdus[1].Length + pdus[2].Length; // the 4th PDU of any kind: the same one
            var expected = (byte[])stream.Clone();
            expected[dataFlip] ^= 0x80;
            expected[headerFlip] ^= 0x01;
            Assert.Equal(expected, received);
        }
        Assert.Equal(2, proxy.FaultsInjected);
    }

    [Fact]
    public async Task Stall_holds_forwarding_until_released_and_loses_nothing()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        var stall = proxy.Add(FaultRule.Stall(ToInitiator, afterBytes: 4));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var data = RandomBytes(100, 6);
            await target.SendAsync(data, SocketFlags.None);
            Assert.Equal(data[..4], await SocketReads.ReadExactlyAsync(initiator, 4));
            await stall.Fired.WaitAsync(SocketReads.DefaultTimeout);
            Assert.False(await SocketReads.AnythingArrivesWithinAsync(initiator, TimeSpan.FromMilliseconds(300)));
            // The other direction is not held.
            await initiator.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None);
            Assert.Equal(new byte[] { 1, 2, 3 }, await SocketReads.ReadExactlyAsync(target, 3));

            stall.Release();
            Assert.Equal(data[4..], await SocketReads.ReadExactlyAsync(initiator, 96));
        }
    }

    [Fact]
    public async Task Stall_for_a_time_and_delay_hold_bytes_at_least_that_long()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.Stall(ToInitiator, TimeSpan.FromMilliseconds(400)));
        var delay = proxy.Add(FaultRule.Delay(ToTarget, TimeSpan.FromMilliseconds(200)));
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            var clock = Stopwatch.StartNew();
            await target.SendAsync(new byte[] { 9 }, SocketFlags.None);
            await SocketReads.ReadExactlyAsync(initiator, 1);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(390), $"the stall let a byte through after {clock.ElapsedMilliseconds} ms");

            for (int i = 0; i < 2; i++)
            {
                clock.Restart();
                await initiator.SendAsync(new byte[] { 7 }, SocketFlags.None);
                await SocketReads.ReadExactlyAsync(target, 1);
                Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(190), $"forward {i} was delayed only {clock.ElapsedMilliseconds} ms");
            }
        }
        Assert.Equal(2, delay.FiredCount);
    }

    [Fact]
    public async Task A_next_connection_rule_hits_only_the_connection_accepted_after_it_was_added()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        var (before, beforeTarget) = await server.ConnectThroughAsync(proxy);
        // The target's accept can return before the proxy has registered the connection: wait for that, or the
        // rule would be added while "before" is still, for the proxy, a connection to come.
        await WaitUntilAsync(() => proxy.ActiveConnections == 1);
        var drop = proxy.Add(FaultRule.DropAfterBytes(ToTarget, 0, DropStyle.Graceful, scope: FaultScope.NextConnection));
        var (next, nextTarget) = await server.ConnectThroughAsync(proxy);
        var (later, laterTarget) = await server.ConnectThroughAsync(proxy);
        using (before) using (beforeTarget) using (next) using (nextTarget) using (later) using (laterTarget)
        {
            foreach (var s in new[] { before, next, later }) await s.SendAsync(new byte[] { 42 }, SocketFlags.None);
            Assert.Equal(new byte[] { 42 }, await SocketReads.ReadExactlyAsync(beforeTarget, 1));
            Assert.Equal(new byte[] { 42 }, await SocketReads.ReadExactlyAsync(laterTarget, 1));
            var (got, _) = await SocketReads.ReadToEndAsync(nextTarget);
            Assert.Empty(got);
        }
        Assert.Equal(1, drop.FiredCount);
    }

    [Fact]
    public async Task A_repeating_random_drop_draws_one_point_per_connection_from_its_seed()
    {
        using var server = new LoopbackServer();
        await using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.DropAtRandomPoint(ToTarget, 100, 5000, seed: 42, DropStyle.Graceful, repeating: true));
        var expected = new Random(42);
        var data = RandomBytes(6000, 7);
        for (int i = 0; i < 3; i++)
        {
            var (initiator, target) = await server.ConnectThroughAsync(proxy);
            using (initiator)
            using (target)
            {
                await initiator.SendAsync(data, SocketFlags.None);
                var (got, _) = await SocketReads.ReadToEndAsync(target);
                Assert.Equal(data[..(int)expected.NextInt64(100, 5001)], got);
            }
        }
        Assert.Equal(3, proxy.FaultsInjected);
    }

    [Fact]
    public async Task Dispose_closes_open_connections_and_the_listener_and_waits_for_its_tasks()
    {
        using var server = new LoopbackServer();
        var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(FaultRule.Stall(ToInitiator)); // a stalled pump must not keep Dispose waiting
        var (initiator, target) = await server.ConnectThroughAsync(proxy);
        using (initiator)
        using (target)
        {
            await target.SendAsync(new byte[] { 1 }, SocketFlags.None);
            await WaitUntilAsync(() => proxy.FaultsInjected == 1);
            await proxy.DisposeAsync().AsTask().WaitAsync(SocketReads.DefaultTimeout);
            var (got, _) = await SocketReads.ReadToEndAsync(initiator);
            Assert.Empty(got);
        }
        Assert.Equal(0, proxy.ActiveConnections);
        using var late = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(proxy.Host, proxy.Port));
        Assert.Throws<ObjectDisposedException>(() => proxy.Add(FaultRule.Stall(ToTarget)));
    }

    [Fact]
    public void Rules_refuse_values_that_cannot_aim_anywhere()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.FlipHeaderBit(ToTarget, null, 1, 48));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.FlipDataBit(ToTarget, null, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.FlipDataBit(ToTarget, null, 1, 0, bit: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.DropAfterBytes(ToTarget, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.DropAtRandomPoint(ToTarget, 10, 9, seed: 1));
        var rule = FaultRule.Stall(ToTarget);
        using var server = new LoopbackServer();
        using var proxy = new FaultProxy("127.0.0.1", server.Port);
        proxy.Add(rule);
        Assert.Throws<InvalidOperationException>(() => proxy.Add(rule));
    }

    private static void AssertExactlyOneBitDiffers(byte[] sent, byte[] received, int at, int bit)
    {
        Assert.Equal(sent.Length, received.Length);
        var differing = Enumerable.Range(0, sent.Length).Where(i => sent[i] != received[i]).ToArray();
        Assert.Equal([at], differing);
        Assert.Equal(1 << bit, sent[at] ^ received[at]);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Counters are updated after a send returns, so a reader can see the bytes a moment before the count.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < SocketReads.DefaultTimeout, "the condition did not hold within the timeout");
            await Task.Delay(10);
        }
    }
}
