namespace Iscsi.Session;

/// <summary>Live counters of a session; <see cref="Snapshot"/> turns them into the public statistics object.
/// Counters kept by a connection's transport and reader are added to the session's totals when a reconnect
/// replaces the connection (<see cref="Retire"/>), so the figures cover the whole session.</summary>
internal sealed class SessionCounters
{
    public long CommandsSent;
    public long CommandsCompleted;
    public long DataInBytes;
    public long DataOutBytes;
    public long Timeouts;
    public long Aborts;
    public long Escalations;
    public long Rejects;
    public long NopInReceived;
    public long AsyncMessages;
    public long ConnectionLosses;
    public long Reconnects;
    public long ReconnectFailures;
    public long CommandsRepeated;
    public long UnitAttentionsAbsorbed;
    public long KeepalivePings;

    private long _retiredPdusSent, _retiredPdusReceived, _retiredBytesSent, _retiredBytesReceived, _retiredDigestErrors;

    public void Retire(SessionConnection c)
    {
        Interlocked.Add(ref _retiredPdusSent, c.Transport.PdusSent);
        Interlocked.Add(ref _retiredPdusReceived, c.Reader.PdusReceived);
        Interlocked.Add(ref _retiredBytesSent, c.Transport.BytesSent);
        Interlocked.Add(ref _retiredBytesReceived, c.Transport.Receiver.BytesReceived);
        Interlocked.Add(ref _retiredDigestErrors, c.Reader.DigestErrors);
    }

    public IscsiSessionStatistics Snapshot(SessionConnection c) => new()
    {
        CommandsSent = Interlocked.Read(ref CommandsSent),
        CommandsCompleted = Interlocked.Read(ref CommandsCompleted),
        PdusSent = Interlocked.Read(ref _retiredPdusSent) + c.Transport.PdusSent,
        PdusReceived = Interlocked.Read(ref _retiredPdusReceived) + c.Reader.PdusReceived,
        BytesSent = Interlocked.Read(ref _retiredBytesSent) + c.Transport.BytesSent,
        BytesReceived = Interlocked.Read(ref _retiredBytesReceived) + c.Transport.Receiver.BytesReceived,
        DataInBytes = Interlocked.Read(ref DataInBytes),
        DataOutBytes = Interlocked.Read(ref DataOutBytes),
        DigestErrors = Interlocked.Read(ref _retiredDigestErrors) + c.Reader.DigestErrors,
        Timeouts = Interlocked.Read(ref Timeouts),
        Aborts = Interlocked.Read(ref Aborts),
        LunResetEscalations = Interlocked.Read(ref Escalations),
        Rejects = Interlocked.Read(ref Rejects),
        NopInReceived = Interlocked.Read(ref NopInReceived),
        AsyncMessages = Interlocked.Read(ref AsyncMessages),
        ConnectionLosses = Interlocked.Read(ref ConnectionLosses),
        Reconnects = Interlocked.Read(ref Reconnects),
        ReconnectFailures = Interlocked.Read(ref ReconnectFailures),
        CommandsRepeated = Interlocked.Read(ref CommandsRepeated),
        UnitAttentionsAbsorbed = Interlocked.Read(ref UnitAttentionsAbsorbed),
        KeepalivePings = Interlocked.Read(ref KeepalivePings),
    };
}
