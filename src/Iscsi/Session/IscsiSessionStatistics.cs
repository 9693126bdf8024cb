namespace Iscsi.Session;

/// <summary>A snapshot of a session's counters.</summary>
public sealed class IscsiSessionStatistics
{
    public long CommandsSent { get; init; }
    public long CommandsCompleted { get; init; }
    public long PdusSent { get; init; }
    public long PdusReceived { get; init; }
    public long BytesSent { get; init; }
    public long BytesReceived { get; init; }
    public long DataInBytes { get; init; }
    public long DataOutBytes { get; init; }
    public long DigestErrors { get; init; }
    public long Timeouts { get; init; }
    public long Aborts { get; init; }
    /// <summary>ABORT TASKs that got no answer and were escalated to a LOGICAL UNIT RESET.</summary>
    public long LunResetEscalations { get; init; }
    public long Rejects { get; init; }
    public long NopInReceived { get; init; }
    public long AsyncMessages { get; init; }
    /// <summary>Connections that failed under the session (each starts a reconnect, or closes the session).</summary>
    public long ConnectionLosses { get; init; }
    /// <summary>Successful logins after a connection loss (ERL 0 session reinstatements).</summary>
    public long Reconnects { get; init; }
    /// <summary>Login attempts after a connection loss that failed.</summary>
    public long ReconnectFailures { get; init; }
    /// <summary>Commands sent again: after a reconnect, or after a data digest error.</summary>
    public long CommandsRepeated { get; init; }
}
