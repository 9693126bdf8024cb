using Iscsi.Pdu;

namespace Iscsi.Session;

/// <summary>Something waiting for the target's answer under an Initiator Task Tag.</summary>
internal abstract class PendingRequest
{
    public uint InitiatorTaskTag { get; set; }
    public long StartTimestamp { get; set; }
    /// <summary>The request has (at least partly) been queued on a connection: after a connection loss it cannot
    /// simply be sent on the next one (a SCSI command is repeated only when that is safe).</summary>
    public bool Sent { get; set; }
    public abstract void Fail(Exception error);
}

/// <summary>A pending Task Management request.</summary>
internal sealed class PendingTaskManagement : PendingRequest
{
    public TaskManagementFunction Function { get; init; }
    public int Lun { get; init; }
    public ScsiCommandState? Referenced { get; init; }
    public TaskCompletionSource<byte> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public override void Fail(Exception error) => Response.TrySetException(error);
}

/// <summary>A pending NOP-Out ping.</summary>
internal sealed class PendingPing : PendingRequest
{
    public TaskCompletionSource<long> Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public override void Fail(Exception error) => Answered.TrySetException(error);
}

/// <summary>A pending Text request: one response at a time (the caller sends continuations).</summary>
internal sealed class PendingText : PendingRequest
{
    public TaskCompletionSource<(TextResponse Header, byte[] Data)> Response { get; private set; } = New();
    public void Reset() => Response = New();
    public override void Fail(Exception error) => Response.TrySetException(error);
    private static TaskCompletionSource<(TextResponse, byte[])> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A pending Logout request.</summary>
internal sealed class PendingLogout : PendingRequest
{
    public TaskCompletionSource<LogoutResponse> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public override void Fail(Exception error) => Response.TrySetException(error);
}
