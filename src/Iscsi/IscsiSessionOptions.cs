namespace Iscsi;

public enum SessionType { Normal, Discovery }

/// <summary>What the caller wants from a login: identity, authentication and the operational values to
/// offer. The values actually agreed with the target are in <see cref="NegotiatedParameters"/>.</summary>
public sealed class IscsiSessionOptions
{
    /// <summary>Our iSCSI name. Default: iqn.&lt;year&gt;-&lt;month&gt;.&lt;reversed host name&gt;:iscsimodule (see InitiatorNames).</summary>
    public string? InitiatorName { get; set; }
    public string? InitiatorAlias { get; set; }

    /// <summary>Initiator Session ID (6 bytes, low 48 bits used). Null: a random "random" format ISID (type 0b11).</summary>
    public ulong? Isid { get; set; }

    /// <summary>One-way CHAP: the credential we answer the target's challenge with.</summary>
    public ChapCredential? Chap { get; set; }
    /// <summary>Mutual CHAP: the credential the target must prove it knows.</summary>
    public ChapCredential? TargetChap { get; set; }

    /// <summary>CHAP digests to offer, strongest first. Null: every one the platform has (SHA3-256, SHA-256,
    /// SHA-1, MD5); the target picks.</summary>
    public IReadOnlyList<Iscsi.Login.ChapAlgorithm>? ChapAlgorithms { get; set; }

    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }

    /// <summary>The largest data segment we accept in one PDU (declared at login). 1 MiB by default: a read's
    /// Data-In goes straight into the caller's memory whatever its size, and fewer, larger PDUs cost fewer
    /// receives (1 MiB reads from tgtd: one Data-In instead of four; 15-25% more throughput and 10-20% less
    /// CPU per read on the benchmark machine, docs/performance.md). Other PDUs with data (sense, text, NOP-In)
    /// are buffered up to this size, so lower it if that memory matters more than large-read speed.</summary>
    public int MaxRecvDataSegmentLength { get; set; } = 1048576;
    public int MaxBurstLength { get; set; } = 16776192;
    public int FirstBurstLength { get; set; } = 262144;
    public bool ImmediateData { get; set; } = true;
    public bool InitialR2T { get; set; } = false;
    public int MaxOutstandingR2T { get; set; } = 1;
    public bool DataPduInOrder { get; set; } = true;
    public bool DataSequenceInOrder { get; set; } = true;
    public int DefaultTime2Wait { get; set; } = 2;
    public int DefaultTime2Retain { get; set; } = 20;
    public int ErrorRecoveryLevel { get; set; } = 0;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Default per-command timeout; a command past it is aborted (ABORT TASK) and fails with IscsiTimeoutException.
    /// It counts time on a logged-in session: while the session reconnects it pauses (ReconnectTimeout bounds the outage),
    /// and a command sent again on the new connection gets all of it again. A command's own ScsiCommand.Timeout, by
    /// contrast, bounds its whole life, reconnects included.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long one outage may last before the session gives up, counted from the loss (open-iscsi's
    /// replacement_timeout): the one knob for riding out a target restart. After a lost connection the session logs
    /// in again (ERL 0 session reinstatement: same ISID, TSIH 0), first after DefaultTime2Wait (as negotiated, or as
    /// the target's Drop Connection message said), then backing off, doubling up to 8 s, with a last attempt at the
    /// end of this budget. Commands in flight that are safe to repeat are sent again after the login; commands
    /// started meanwhile wait. Default 120 s.</summary>
    public TimeSpan ReconnectTimeout { get; set; } = DefaultReconnectTimeout;

    public static readonly TimeSpan DefaultReconnectTimeout = TimeSpan.FromSeconds(120);

    /// <summary>At most this many logins per outage; null (the default): as many as fit in <see cref="ReconnectTimeout"/>.
    /// 0: never reconnect; the session closes with its connection.</summary>
    public int? ReconnectAttempts { get; set; }

    /// <summary>Other portals of the same target to try when the current one does not answer after a lost connection,
    /// in this order (portals of the same portal group first, as ERL 0 reinstatement expects), after the portal the
    /// session was on. The session also learns its target's portals from a SendTargets exchange after each login.</summary>
    public IReadOnlyList<Discovery.TargetPortal>? AlternatePortals { get; set; }

    /// <summary>After each login, ask the portal for the target's other portals (a SendTargets discovery session of its
    /// own) so that a reconnect can fail over to one (see <see cref="AlternatePortals"/>). Off by default: it costs a
    /// second login per session, and a caller that discovered the target already knows its portals.</summary>
    public bool LearnTargetPortals { get; set; }

    /// <summary>How long the connection may stay silent before the session checks it with a NOP-Out ping
    /// (open-iscsi's noop_out_interval, default 5 s); zero or infinite: no checks. A ping unanswered within
    /// <see cref="KeepaliveTimeout"/> counts as a lost connection (the session reconnects), so a dead path is found
    /// while the session is idle, not when the next command times out.</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a keepalive ping may take (open-iscsi's noop_out_timeout, default 5 s).</summary>
    public TimeSpan KeepaliveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Called during the login with advice the caller should hear before the login goes on (the target
    /// chose MD5 CHAP: warned before our response leaves). On the login's thread: keep it short. No secrets.</summary>
    public Action<string>? LoginWarning { get; set; }

    /// <summary>Run the continuation of a completed command (the code after <c>await ExecuteAsync</c>) directly on the
    /// session's receive thread instead of queuing it to the thread pool. Saves a thread hand-off per command, but the
    /// session reads nothing more until that code yields: it must not block (no <c>.Result</c>, no <c>Wait()</c>, no
    /// long CPU work) or the session stalls. Off by default; <c>iscsi perf --inline-completions</c> uses it.</summary>
    public bool InlineCompletions { get; set; }

    /// <summary>How long the receive thread keeps looking for the target's next PDU before it sleeps (0: sleeps at
    /// once; at most 10 ms). A sleeping reader has to be woken by the data's sender, which on a fast link costs the
    /// target more than the spin costs us; the spin is per wait, so an idle session spins once and then sleeps.</summary>
    public TimeSpan ReceiveSpin { get; set; } = TimeSpan.FromMicroseconds(50);

    /// <summary>The longest <see cref="ReceiveSpin"/>: past a few hundred µs a spin only burns a core.</summary>
    public static readonly TimeSpan MaxReceiveSpin = TimeSpan.FromMilliseconds(10);

    /// <summary>How many login redirects (status 0x0101/0x0102) to follow before giving up.</summary>
    public int MaxRedirects { get; set; } = 4;

    public IscsiSessionOptions Clone() => (IscsiSessionOptions)MemberwiseClone();

    /// <summary>Every check of the values, in one place, before any socket exists: each mistake is an
    /// IscsiArgumentException with its own ErrorId, naming the value.</summary>
    public void Validate()
    {
        if (InitiatorName is { } name && !Login.InitiatorNames.IsValidName(name))
            throw new IscsiArgumentException("InitiatorNameInvalid",
                $"The initiator name '{name}' is not a valid iSCSI name (iqn., eui. or naa. form).");
        CheckTimeout(nameof(ConnectTimeout), ConnectTimeout, "ConnectTimeoutInvalid");
        CheckTimeout(nameof(LoginTimeout), LoginTimeout, "LoginTimeoutInvalid");
        CheckTimeout(nameof(CommandTimeout), CommandTimeout, "TimeoutInvalid");
        if (ReconnectAttempts is < 0)
            throw new IscsiArgumentException("ReconnectAttemptsInvalid", $"ReconnectAttempts {ReconnectAttempts} is negative; use 0 to never reconnect.");
        if (ReconnectTimeout <= TimeSpan.Zero)
            throw new IscsiArgumentException("ReconnectTimeoutInvalid", $"ReconnectTimeout {ReconnectTimeout} is not positive.");
        if (ReceiveSpin < TimeSpan.Zero || ReceiveSpin > MaxReceiveSpin)
            throw new IscsiArgumentException("ReceiveSpinInvalid",
                $"ReceiveSpin {ReceiveSpin.TotalMicroseconds:0.###} µs is outside 0..{MaxReceiveSpin.TotalMicroseconds:0} µs.");
        if (KeepaliveInterval < TimeSpan.Zero && KeepaliveInterval != Timeout.InfiniteTimeSpan)
            throw new IscsiArgumentException("KeepaliveInvalid", $"KeepaliveInterval {KeepaliveInterval} is negative; use zero to turn keepalives off.");
        if (KeepaliveTimeout <= TimeSpan.Zero && KeepaliveInterval > TimeSpan.Zero)
            throw new IscsiArgumentException("KeepaliveInvalid", $"KeepaliveTimeout {KeepaliveTimeout} is not positive.");
    }

    /// <summary>Keepalives are on: a positive, finite interval.</summary>
    internal bool KeepaliveEnabled => KeepaliveInterval > TimeSpan.Zero && KeepaliveInterval != Timeout.InfiniteTimeSpan;

    private static void CheckTimeout(string name, TimeSpan value, string errorId)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            throw new IscsiArgumentException(errorId, $"{name} {value} is not positive (use Timeout.InfiniteTimeSpan for no limit).");
    }
}
