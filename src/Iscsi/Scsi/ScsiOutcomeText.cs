namespace Iscsi.Scsi;

/// <summary>The one-line text of a command's outcome, shared by <see cref="ScsiResult"/> and <see cref="BlockIoResult"/>
/// so that both read the same in logs and error messages.</summary>
internal static class ScsiOutcomeText
{
    public static string Of(ScsiStatus status, SenseData? sense, int dataIn, int dataOut, ResidualKind residualKind, uint residualCount)
        => sense is { } s
            ? $"{status} {s.SenseKey} {s.Asc:X2}/{s.Ascq:X2} {s.Description}"
            : $"{status} in={dataIn} out={dataOut} residual={residualKind}:{residualCount}";
}
