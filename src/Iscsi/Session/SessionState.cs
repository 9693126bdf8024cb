namespace Iscsi.Session;

/// <summary>Where a session is in its life.</summary>
public enum SessionState
{
    /// <summary>Logged in (full feature phase): commands go to the target.</summary>
    LoggedIn,
    /// <summary>The connection was lost and the session is logging in again (ERL 0 session reinstatement);
    /// commands wait, and those that were in flight and are safe to repeat are sent again afterwards.</summary>
    Reconnecting,
    /// <summary>Logged out, or the connection was lost for good; <see cref="IscsiSession.Failure"/> says why.</summary>
    Closed,
}
