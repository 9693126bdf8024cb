using Iscsi.Pdu;
using Iscsi.Session;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Async Message "target requests logout" (RFC 7143 11.9.1, AsyncEvent 1): the initiator logs out.</summary>
public sealed class AsyncLogoutRequestTests
{
    [Fact]
    public async Task The_session_logs_out_cleanly_when_the_target_asks_for_it()
    {
        await using var fake = new FakeTarget();
        await using var session = await fake.ConnectAsync();
        var message = new TaskCompletionSource<IscsiAsyncMessageEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.AsyncMessageReceived += (_, e) => message.TrySetResult(e);

        await fake.Connection.SendAsyncMessageAsync(new AsyncMessage { AsyncEvent = 1, Parameter3 = 5 });

        var logout = await fake.WaitForAsync(Opcode.LogoutRequest);
        Assert.True(logout.Immediate);
        Assert.Equal(0, logout.Logout.ReasonCode); // 0: close the session
        await FakeTarget.EventuallyAsync(() => !session.IsConnected, "the session is closed after the logout");
        Assert.Null(session.Failure); // a logout is not a failure
        var args = await message.Task.WaitAsync(FakeTarget.Patience);
        Assert.Equal(1, args.AsyncEvent);
        Assert.Equal(5, args.Parameter3);
        Assert.Contains("logout", args.Description, StringComparison.OrdinalIgnoreCase);
        var error = await Assert.ThrowsAsync<IscsiConnectionException>(() => session.ExecuteAsync(Commands.TestUnitReady()));
        Assert.Equal("SessionClosed", error.ErrorId);
        Assert.Empty(fake.Violations);
    }
}
