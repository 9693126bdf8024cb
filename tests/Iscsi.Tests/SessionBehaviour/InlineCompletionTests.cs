using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>IscsiSessionOptions.InlineCompletions: off, a command's continuation never runs on the session's receive
/// loop (a caller that blocks there could stall the session); on, it does (one thread hand-off less per command).</summary>
public sealed class InlineCompletionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_continuation_runs_on_the_receive_loop_only_when_asked(bool inline)
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.InlineCompletions = inline));
        string? stack = null;

        var read = session.ExecuteAsync(Commands.Read(512));
        // ExecuteSynchronously: the continuation runs wherever the task is completed, unless the task forbids that.
        var observed = read.ContinueWith(_ => stack = Environment.StackTrace, TaskContinuationOptions.ExecuteSynchronously);
        await observed.WaitAsync(FakeTarget.Patience);

        Assert.True((await read).IsGood);
        Assert.Equal(inline, stack!.Contains("ReceiveLoopAsync", StringComparison.Ordinal));
        Assert.True((await session.ExecuteAsync(Commands.TestUnitReady()).WaitAsync(FakeTarget.Patience)).IsGood);
    }
}
