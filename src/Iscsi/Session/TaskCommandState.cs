using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>A command run through <see cref="IscsiSession.ExecuteAsync"/> or <see cref="IscsiSession.Start"/>: its
/// outcome is a Task of a <see cref="ScsiResult"/>, and the state object lives for this one command.</summary>
internal sealed class TaskCommandState : ScsiCommandState
{
    public TaskCommandState(ScsiCommand command, IscsiSession? owner = null)
        : base(command, owner)
    {
        Prepare(command.Cdb.ToArray());
        Completion = new TaskCompletionSource<ScsiResult>(owner is { InlineCompletions: true } ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public TaskCompletionSource<ScsiResult> Completion { get; }

    protected override void SetAnswer(ScsiStatus status, byte response, ReadOnlySpan<byte> sense,
        ResidualKind residualKind, uint residualCount, ResidualKind bidiKind, uint bidiCount)
        => Completion.SetResult(BuildResult(status, response, sense, residualKind, residualCount, bidiKind, bidiCount));

    protected override void SetFailure(Exception error) => Completion.SetException(error);
}
