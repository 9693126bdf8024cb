namespace Iscsi.Scsi;

/// <summary>The words for a command's outcome, in one place so that results, logs and error messages all read the
/// same. ASC/ASCQ are written as T10 writes them: "21h/00h".</summary>
public static class ScsiOutcomeText
{
    /// <summary>"CheckCondition, IllegalRequest 21h/00h LOGICAL BLOCK ADDRESS OUT OF RANGE", "iSCSI response 0x01", "Busy".</summary>
    public static string Describe(ScsiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IscsiResponse != 0)
            return $"iSCSI response 0x{result.IscsiResponse:X2}";
        return result.Sense is { } s ? $"{result.Status}, {Sense(s)}" : $"{result.Status}";
    }

    /// <summary>"IllegalRequest 21h/00h LOGICAL BLOCK ADDRESS OUT OF RANGE".</summary>
    public static string Sense(SenseData sense)
    {
        ArgumentNullException.ThrowIfNull(sense);
        return $"{sense.SenseKey} {AscAscq(sense)} {sense.Description}";
    }

    /// <summary>"21h/00h".</summary>
    public static string AscAscq(SenseData sense)
    {
        ArgumentNullException.ThrowIfNull(sense);
        return $"{sense.Asc:X2}h/{sense.Ascq:X2}h";
    }

    internal static string Of(ScsiStatus status, SenseData? sense, int dataIn, int dataOut, ResidualKind residualKind, uint residualCount)
        => sense is { } s
            ? $"{status} {Sense(s)}"
            : $"{status} in={dataIn} out={dataOut} residual={residualKind}:{residualCount}";
}
