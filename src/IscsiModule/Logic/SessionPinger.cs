using Iscsi;

namespace IscsiModule.Logic;

/// <summary>Test-IscsiSession behind the cmdlet: NOP-Out pings, one result each, like Test-Connection. A failed
/// ping is a result with Success = false, not an error; only cancellation stops the series.</summary>
public static class SessionPinger
{
    public static async Task<IscsiSessionTestResult> PingOnceAsync(IscsiSessionInfo session, int sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.State == Iscsi.Session.SessionState.Closed) // a reconnecting session is pinged once it is back
            return new IscsiSessionTestResult(session.SessionIdentifier, session.NodeAddress, sequence, false, null,
                $"session {session.SessionIdentifier} is closed");
        try
        {
            var rtt = await session.Session.PingAsync(cancellationToken).ConfigureAwait(false);
            return new IscsiSessionTestResult(session.SessionIdentifier, session.NodeAddress, sequence, true, rtt, null);
        }
        catch (IscsiException ex)
        {
            return new IscsiSessionTestResult(session.SessionIdentifier, session.NodeAddress, sequence, false, null, $"{ex.ErrorId}: {ex.Message}");
        }
    }

    public static void ValidateCount(int count, int delaySeconds)
    {
        if (count is < 1 or > 1_000_000)
            throw new IscsiArgumentException("CountOutOfRange", $"-Count {count} is outside 1..1000000.");
        if (delaySeconds is < 0 or > 3600)
            throw new IscsiArgumentException("DelayOutOfRange", $"-Delay {delaySeconds} is outside 0..3600 seconds.");
    }
}
