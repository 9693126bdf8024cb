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
    /// <summary>Default per-command timeout; a command past it is aborted (ABORT TASK) and fails with IscsiTimeoutException.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How many times to try logging in again after the connection is lost (ERL 0 session reinstatement:
    /// same ISID, TSIH 0), per outage. 0: never; the session closes with the connection. The first attempt waits
    /// DefaultTime2Wait (as negotiated, or as the target's Drop Connection message said); later ones back off,
    /// doubling up to 8 s. Commands in flight that are safe to repeat are sent again after the login.</summary>
    public int ReconnectAttempts { get; set; } = 5;

    /// <summary>How long one outage may last before the session gives up, counted from the loss. Null: the
    /// negotiated DefaultTime2Wait + DefaultTime2Retain (how long the target itself keeps state for a returning
    /// initiator).</summary>
    public TimeSpan? ReconnectTimeout { get; set; }

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
}
