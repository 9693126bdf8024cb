using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>
/// A command was cancelled by the caller (or aborted by a task management function) and aborted on the
/// wire. Like the seed's EINTR, what had already arrived is reported: <see cref="PartialResult"/> says how
/// many Data-In bytes are in the caller's buffers.
/// </summary>
public sealed class ScsiCommandAbortedException : OperationCanceledException
{
    public ScsiCommandAbortedException(string message, ScsiResult partialResult, CancellationToken token = default)
        : base(message, null, token) => PartialResult = partialResult;

    public ScsiResult PartialResult { get; }
    public string ErrorId => "CommandAborted";
}
