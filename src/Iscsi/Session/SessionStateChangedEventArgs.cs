namespace Iscsi.Session;

/// <summary>A session lost its connection, is trying to log in again, got back in, or gave up.</summary>
public sealed class SessionStateChangedEventArgs : EventArgs
{
    /// <summary>The state the session is in now.</summary>
    public SessionState State { get; init; }
    /// <summary>The login attempt this event is about (1-based); 0 when the connection was just lost.</summary>
    public int Attempt { get; init; }
    /// <summary>The configured attempts per outage.</summary>
    public int MaxAttempts { get; init; }
    /// <summary>How long the session waits before this attempt.</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Time since the connection was lost.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>What happened, in words (never a secret).</summary>
    public string Message { get; init; } = "";
    /// <summary>Commands that were in flight and will be (or were) sent again.</summary>
    public int CommandsRepeated { get; init; }
    /// <summary>Commands that were in flight and failed because they are not safe to repeat (or the session gave up).</summary>
    public int CommandsFailed { get; init; }
    /// <summary>The error that ended the connection or the last attempt, if any.</summary>
    public Exception? Error { get; init; }

    public override string ToString() => $"{State}: {Message}";
}
