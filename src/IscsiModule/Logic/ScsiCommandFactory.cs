using Iscsi;
using Iscsi.Scsi;

namespace IscsiModule.Logic;

/// <summary>Builds the engine command for Invoke-ScsiCommand / Start-ScsiCommand and judges its result.</summary>
public static class ScsiCommandFactory
{
    /// <summary>Most a raw command may read into memory (the CDB's own allocation length can ask for less).</summary>
    public const int MaxDataInLength = 64 * 1024 * 1024;
    public const int MaxTimeoutSec = 86400;

    /// <summary>The engine owns the Data-In buffer (none is given), so the result's Data holds exactly what arrived.</summary>
    public static ScsiCommand Create(int lun, byte[]? cdb, int dataInLength, byte[]? dataOut, int? timeoutSec, bool rawUnitAttention = false)
    {
        if (cdb is null || cdb.Length is < 6 or > 16)
            throw new IscsiArgumentException("CdbLengthInvalid", $"A CDB must be 6 to 16 bytes long; got {cdb?.Length ?? 0}.");
        if (dataInLength is < 0 or > MaxDataInLength)
            throw new IscsiArgumentException("DataInLengthOutOfRange", $"-DataInLength {dataInLength} is outside 0..{MaxDataInLength}.");
        if (dataInLength > 0 && dataOut is { Length: > 0 })
            throw new IscsiArgumentException("DataDirectionConflict",
                "-DataInLength and -DataOut were both given; a command here moves data in one direction only.");
        if (timeoutSec is { } t && t is < 1 or > MaxTimeoutSec)
            throw new IscsiArgumentException("TimeoutOutOfRange", $"-TimeoutSec {t} is outside 1..{MaxTimeoutSec}.");
        return new ScsiCommand(lun, cdb)
        {
            ExpectedDataInLength = dataInLength,
            DataOut = dataOut ?? ReadOnlyMemory<byte>.Empty,
            Timeout = timeoutSec is { } s ? TimeSpan.FromSeconds(s) : null,
            RawUnitAttention = rawUnitAttention,
        };
    }

    /// <summary>Null when the result is GOOD or the caller said -SkipStatusCheck; otherwise the error to report
    /// (non-terminating, with the result as its target object).</summary>
    public static ScsiCommandException? StatusError(ScsiResult result, bool skipStatusCheck)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (skipStatusCheck || result.IsGood) return null;
        string name = result.Cdb.Length > 0 ? CdbInfo.Name(result.Cdb[0]) : "The command";
        return new ScsiCommandException(result, $"{name} to LUN {result.Lun} completed with {ScsiOutcomeText.Describe(result)}.");
    }
}
