namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Sense data written out byte by byte (SPC-5 4.4.3, fixed format), independent of our decoder.</summary>
internal static class SenseBytes
{
    /// <summary>Current, fixed format (response code 0x70), additional sense length 10: 18 bytes.</summary>
    public static byte[] Fixed(byte senseKey, byte asc, byte ascq) =>
    [
        0x70, 0x00, senseKey, 0x00, 0x00, 0x00, 0x00, 0x0A,
        0x00, 0x00, 0x00, 0x00, asc, ascq, 0x00, 0x00, 0x00, 0x00,
    ];
}
