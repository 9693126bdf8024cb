using Iscsi.Session;

namespace Iscsi.Tests.Session;

public sealed class SequenceWindowTests
{
    [Fact]
    public void Commands_take_consecutive_numbers_until_the_window_closes()
    {
        var w = new SequenceWindow(expCmdSn: 10, maxCmdSn: 12, expStatSn: 5);
        Assert.True(w.TryTake(out var a));
        Assert.True(w.TryTake(out var b));
        Assert.True(w.TryTake(out var c));
        Assert.False(w.TryTake(out _));
        Assert.Equal(new uint[] { 10, 11, 12 }, new[] { a, b, c });
        Assert.Equal(13u, w.NextCmdSn);
    }

    [Fact]
    public async Task A_new_max_cmd_sn_opens_the_window_and_wakes_waiters()
    {
        var w = new SequenceWindow(1, 1, 0);
        Assert.True(w.TryTake(out _));
        var wait = w.WaitForChangeAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);
        w.Update(2, 2);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(w.TryTake(out var sn));
        Assert.Equal(2u, sn);
    }

    [Fact]
    public void Window_works_across_the_32_bit_wrap()
    {
        var w = new SequenceWindow(0xFFFFFFFE, 0x00000001, 0);
        var taken = new List<uint>();
        while (w.TryTake(out var sn)) taken.Add(sn);
        Assert.Equal(new uint[] { 0xFFFFFFFE, 0xFFFFFFFF, 0, 1 }, taken);
    }

    [Fact]
    public void Stale_or_invalid_updates_are_ignored()
    {
        var w = new SequenceWindow(100, 110, 0);
        w.Update(90, 95);                 // older numbers: neither moves backwards
        Assert.Equal(100u, w.ExpCmdSn);
        Assert.Equal(110u, w.MaxCmdSn);
        w.Update(120, 100);               // MaxCmdSN + 1 < ExpCmdSN: ignored as a whole (RFC 7143 4.2.2.1)
        Assert.Equal(100u, w.ExpCmdSn);
        for (int i = 0; i < 5; i++) Assert.True(w.TryTake(out _)); // CmdSN 100..104 used
        w.Update(105, 104);               // MaxCmdSN = ExpCmdSN - 1: valid, window closed
        Assert.Equal(105u, w.ExpCmdSn);
        Assert.Equal(110u, w.MaxCmdSn);   // MaxCmdSN does not move backwards either
    }

    [Fact]
    public void An_exp_cmd_sn_past_every_cmd_sn_used_is_a_protocol_violation()
    {
        var w = new SequenceWindow(100, 110, 0);
        Assert.True(w.TryTake(out _));    // 100 used; the next is 101
        w.Update(101, 110);               // everything acknowledged: fine
        var error = Assert.Throws<IscsiProtocolException>(() => w.Update(5000, 6000));
        Assert.Equal("ExpCmdSnInvalid", error.ErrorId);
        Assert.Contains("5000", error.Message);
        Assert.Equal(101u, w.ExpCmdSn);
    }

    [Fact]
    public void Exp_stat_sn_follows_the_highest_stat_sn_seen()
    {
        var w = new SequenceWindow(1, 1, 7);
        w.AcknowledgeStatSn(7);
        Assert.Equal(8u, w.ExpStatSn);
        w.AcknowledgeStatSn(5);           // an old one changes nothing
        Assert.Equal(8u, w.ExpStatSn);
        w.AcknowledgeStatSn(0xFFFFFFFF);  // serially less than 8 — ignored
        Assert.Equal(8u, w.ExpStatSn);
    }

    [Fact]
    public async Task Waiting_is_cancellable()
    {
        var w = new SequenceWindow(1, 0, 0);
        using var cts = new CancellationTokenSource();
        var wait = w.WaitForChangeAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
