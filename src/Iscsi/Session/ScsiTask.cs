using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>Handle of a command in flight (the seed's task structure): await it, or abort it.</summary>
public sealed class ScsiTask
{
    internal ScsiTask(IscsiSession session, ScsiCommand command, uint itt, Task<ScsiResult> completion)
    {
        Session = session;
        Command = command;
        InitiatorTaskTag = itt;
        Completion = completion;
    }

    public IscsiSession Session { get; }
    public ScsiCommand Command { get; }
    public uint InitiatorTaskTag { get; }
    public Task<ScsiResult> Completion { get; }
    public bool IsCompleted => Completion.IsCompleted;

    public Task<TaskManagementResult> AbortAsync(CancellationToken cancellationToken = default)
        => Session.AbortTaskAsync(this, cancellationToken);
}
