namespace Iscsi.Session;

/// <summary>Live counters of a session; <see cref="Snapshot"/> turns them into the public statistics object.</summary>
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

    public IscsiSessionStatistics Snapshot(IscsiTransport transport, PduReader reader) => new()
    {
        CommandsSent = Interlocked.Read(ref CommandsSent),
        CommandsCompleted = Interlocked.Read(ref CommandsCompleted),
        PdusSent = transport.PdusSent,
        PdusReceived = reader.PdusReceived,
        BytesSent = transport.BytesSent,
        BytesReceived = transport.Receiver.BytesReceived,
        DataInBytes = Interlocked.Read(ref DataInBytes),
        DataOutBytes = Interlocked.Read(ref DataOutBytes),
        DigestErrors = reader.DigestErrors,
        Timeouts = Interlocked.Read(ref Timeouts),
        Aborts = Interlocked.Read(ref Aborts),
        LunResetEscalations = Interlocked.Read(ref Escalations),
        Rejects = Interlocked.Read(ref Rejects),
        NopInReceived = Interlocked.Read(ref NopInReceived),
        AsyncMessages = Interlocked.Read(ref AsyncMessages),
    };
}
