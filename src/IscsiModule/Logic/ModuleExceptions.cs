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

/// <summary>A task management function (ABORT TASK, LUN RESET...) was answered with something other than
/// "function complete".</summary>
public sealed class TaskManagementException : IscsiException
{
    public TaskManagementException(TaskManagementResult result, string message) : base(message) => Result = result;
    public TaskManagementResult Result { get; }
    public override string ErrorId => $"TaskManagementFailed.{Result.Response}";
}
