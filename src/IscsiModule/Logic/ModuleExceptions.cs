using Iscsi;
using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>-Verify re-read the written blocks and they differ from what was sent.</summary>
public sealed class BlockVerifyException : IscsiException
{
    public BlockVerifyException(ulong lba, int lun, string message) : base(message)
    {
        Lba = lba;
        Lun = lun;
    }

    /// <summary>The first block that read back differently.</summary>
    public ulong Lba { get; }
    public int Lun { get; }
    public override string ErrorId => "VerifyMismatch";
}

/// <summary>A block transfer was cancelled (Ctrl+C): what was done is kept (a file read keeps the blocks it wrote,
/// in order, from the start of the range) and said here.</summary>
public sealed class BlockTransferStoppedException : IscsiException
{
    public BlockTransferStoppedException(ulong bytesCompleted, string message, Exception? inner) : base(message, inner)
        => BytesCompleted = bytesCompleted;

    /// <summary>Bytes finished from the start of the range (written to the file for a read, acknowledged by the target for a write).</summary>
    public ulong BytesCompleted { get; }
    public override string ErrorId => "TransferStopped";
}

/// <summary>A block transfer of several requests failed: the message is the cause's, followed by how far the transfer
/// got (blocks done, unknown, never sent). The ErrorId is the cause's, so scripts match the same ids either way.</summary>
public sealed class BlockTransferFailedException : IscsiException
{
    public BlockTransferFailedException(ulong bytesCompleted, string message, Exception cause) : base(message, cause)
        => BytesCompleted = bytesCompleted;

    /// <summary>Bytes finished in order from the start of the range.</summary>
    public ulong BytesCompleted { get; }
    public override string ErrorId => InnerException is IscsiException ie ? ie.ErrorId : ErrorMapper.Map(InnerException!).ErrorId;
}

/// <summary>A task management function (ABORT TASK, LUN RESET...) was answered with something other than
/// "function complete".</summary>
public sealed class TaskManagementException : IscsiException
{
    public TaskManagementException(TaskManagementResult result, string message) : base(message) => Result = result;
    public TaskManagementResult Result { get; }
    public override string ErrorId => $"TaskManagementFailed.{Result.Response}";
}
