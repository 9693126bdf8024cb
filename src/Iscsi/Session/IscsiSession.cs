using Iscsi.Scsi;

namespace Iscsi.Session;

// CONTRACT STUB: the session work replaces the bodies; signatures are what other layers code against.
/// <summary>A logged-in iSCSI session (one connection) to one target.</summary>
public sealed partial class IscsiSession : IAsyncDisposable
{
    /// <summary>Connects, logs in (following redirects) and returns a session in full feature phase.</summary>
    public static Task<IscsiSession> ConnectAsync(string host, int port, string targetName,
        IscsiSessionOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    public string TargetName => throw new NotImplementedException();
    public string InitiatorName => throw new NotImplementedException();
    public string TargetHost => throw new NotImplementedException();
    public int TargetPort => throw new NotImplementedException();
    /// <summary>The ISID (48 bits).</summary>
    public ulong Isid => throw new NotImplementedException();
    public ushort Tsih => throw new NotImplementedException();
    public NegotiatedParameters Negotiated => throw new NotImplementedException();
    public bool IsConnected => throw new NotImplementedException();
    /// <summary>Logged in and nothing in flight (the seed's "is the session idle").</summary>
    public bool IsIdle => throw new NotImplementedException();
    public int InFlightCount => throw new NotImplementedException();
    public IscsiSessionStatistics Statistics => throw new NotImplementedException();

    /// <summary>Runs a command to completion. A non-GOOD status is returned in the result, not thrown.</summary>
    public Task<ScsiResult> ExecuteAsync(ScsiCommand command, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Starts a command and returns its task handle (for ABORT TASK) at once.</summary>
    public ScsiTask Start(ScsiCommand command, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    public Task<TaskManagementResult> AbortTaskAsync(ScsiTask task, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<TaskManagementResult> AbortTaskSetAsync(int lun, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<TaskManagementResult> ClearTaskSetAsync(int lun, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<TaskManagementResult> LunResetAsync(int lun, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<TaskManagementResult> TargetWarmResetAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<TaskManagementResult> TargetColdResetAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>NOP-Out ping; returns the round-trip time.</summary>
    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task LogoutAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public ValueTask DisposeAsync() => throw new NotImplementedException();

    /// <summary>A SCSI asynchronous event (AsyncEvent 0) reported by the target.</summary>
    public event EventHandler<ScsiAsyncEventArgs>? AsyncEvent;
}
