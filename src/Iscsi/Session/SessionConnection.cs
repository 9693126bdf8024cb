using Iscsi.Login;

namespace Iscsi.Session;

/// <summary>
/// What belongs to one TCP connection of a session: the transport, its reader and send queue, the command
/// numbering the login of this connection started, and the parameters it negotiated. A reconnect (ERL 0
/// session reinstatement) replaces the whole object; nothing of it survives into the next connection.
/// </summary>
internal sealed class SessionConnection
{
    public SessionConnection(int number, IscsiTransport transport, PduReader reader, LoginOutcome outcome, Action<Exception> sendFailed)
    {
        Number = number;
        Transport = transport;
        Reader = reader;
        Negotiated = outcome.Machine!.Negotiated;
        Tsih = outcome.Tsih;
        Window = new SequenceWindow(outcome.ExpCmdSn, outcome.MaxCmdSn, outcome.ExpStatSn);

        // Digests and the data segment limit take effect with the first PDU after login.
        transport.HeaderDigest = reader.HeaderDigest = Negotiated.HeaderDigest;
        transport.DataDigest = reader.DataDigest = Negotiated.DataDigest;
        reader.MaxDataSegmentLength = Negotiated.MaxRecvDataSegmentLength;
        Queue = transport.StartQueue(sendFailed);
    }

    /// <summary>1 for the session's first connection, then one more for each reconnect.</summary>
    public int Number { get; }
    public IscsiTransport Transport { get; }
    public PduReader Reader { get; }
    public SendQueue Queue { get; }
    public SequenceWindow Window { get; }
    public NegotiatedParameters Negotiated { get; }
    public ushort Tsih { get; }
    public CancellationTokenSource Closing { get; } = new();
    public long EstablishedTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    public Task ReceiveLoop { get; set; } = Task.CompletedTask;

    /// <summary>Open to callers' commands. A reconnect's connection stays closed to them until the session has checked,
    /// on it, that its LUs are the ones it knew (the check's own commands go out on it directly).</summary>
    public bool Open { get => _open; set => _open = value; }
    private volatile bool _open = true;

    /// <summary>False once the connection has failed or closed. Only changed under the session's send lock, so
    /// that no PDU is queued on a connection after the session has decided what to do with its commands.</summary>
    public bool IsLive { get => _isLive; set => _isLive = value; }
    private volatile bool _isLive = true;

    /// <summary>A command completed on this connection: the target works with us, so a later loss starts a new outage
    /// (rather than continuing the count of attempts of the one this connection ended). So does a connection that
    /// lasted a while (<see cref="IscsiSession"/>: a minute).</summary>
    public bool MadeProgress { get; set; }

    /*  Inline completions: a caller's continuation runs inside the receive loop and usually starts its next
        command at once. Written one by one, a burst of 32 answers would cost 32 send system calls on the receive
        thread; instead the loop owes one flush and writes them all together once it has no complete PDU header
        buffered (libiscsi's event loop, which writes queued PDUs when it comes round to the socket, does the same).
        The deferral is bounded by the loop's synchronous work: the flush is owed only while the loop runs, and
        paid before it waits for a header from the socket.  */

    /// <summary>Managed thread id of the receive loop while it completes a command inline; 0 otherwise.</summary>
    public int CompletingThread { get; set; }

    /// <summary>The receive loop owes a flush: a command queued from an inline continuation, or the Data-Out
    /// answering an R2T, left its write to the loop (paid before it waits for the next header).</summary>
    public bool FlushOwed { get; set; }

    /// <summary>True on the receive loop's thread while it completes a command inline.</summary>
    public bool IsCompletingHere => CompletingThread == Environment.CurrentManagedThreadId;

    /// <summary>Starts the flush the send queue asked for (after the send lock is released): the receive loop only
    /// records that it owes one and writes once it has read what is buffered; any other thread writes at once.</summary>
    public void StartFlush(bool onReceiveLoop)
    {
        if (onReceiveLoop) FlushOwed = true;
        else Queue.FlushHere();
    }
}
