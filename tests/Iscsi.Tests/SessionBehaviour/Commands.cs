using Iscsi.Scsi;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Commands for the fake target, which does not look at the CDB: only the directions and lengths matter.</summary>
internal static class Commands
{
    public static ScsiCommand TestUnitReady(int lun = 0) => new(lun, Cdb.TestUnitReady());

    /// <summary>A read expecting <paramref name="bytes"/> of Data-In into an engine-owned buffer (ScsiResult.Data).</summary>
    public static ScsiCommand Read(int bytes, int lun = 0) => new(lun, Cdb.Read10(0, (uint)Math.Max(1, bytes / 512))) { ExpectedDataInLength = bytes };

    public static ScsiCommand Write(byte[] data, int lun = 0) => new(lun, Cdb.Write10(0, (uint)Math.Max(1, data.Length / 512))) { DataOut = data };

    /// <summary>Bytes 0, 1, 2, ... 255, 0, 1, ...: a pattern in which a misplaced chunk shows.</summary>
    public static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
}
