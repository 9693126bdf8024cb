using Iscsi;
using Iscsi.Scsi;
using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>Wait-ScsiCommand behind the cmdlet: waiting gives up after the timeout (<c>Timeout</c>) while the command keeps running.</summary>
public static class TaskWaiter
{
    public static async Task<ScsiResult> WaitAsync(ScsiTask task, int? timeoutSec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var timeout = timeoutSec is { } s ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan;
        try
        {
            return await task.Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new IscsiTimeoutException(
                $"Task 0x{task.InitiatorTaskTag:X8} ({CdbInfo.Name(task.Command.Cdb.Span[0])} to LUN {task.Command.Lun}) did not complete within {timeout.TotalSeconds:0} s; it is still running (Stop-ScsiCommand aborts it).",
                timeout);
        }
    }
}
