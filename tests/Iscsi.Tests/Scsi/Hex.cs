namespace Iscsi.Tests.Scsi;

/// <summary>Test vectors are written as spaced hex, exactly as laid out in the standard's tables.</summary>
internal static class Hex
{
    public static byte[] Bytes(string spaced) => Convert.FromHexString(spaced.Replace(" ", "").Replace("\n", "").Replace("\r", ""));
}
