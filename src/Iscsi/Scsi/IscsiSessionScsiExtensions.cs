using Iscsi.Session;

namespace Iscsi.Scsi;

// CONTRACT STUB: the SCSI-layer work implements these; signatures are what the CLI and module code against.
/// <summary>Common SCSI operations on a session: build the CDB, run it, decode the answer.</summary>
public static class IscsiSessionScsiExtensions
{
    public static Task<ScsiResult> TestUnitReadyAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
