using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>Builds the basic PERSISTENT RESERVE OUT parameter list (SPC-5 6.17.3), 24 bytes.</summary>
/// <remarks><code>
/// 0-7   | RESERVATION KEY
/// 8-15  | SERVICE ACTION RESERVATION KEY
/// 16-19 | obsolete
/// 20    | SPEC_I_PT (3) ALL_TG_PT (2) APTPL (0)
/// 21    | reserved
/// 22-23 | obsolete
/// </code></remarks>
public static class PersistentReserveOutParameters
{
    public const int Length = 24;
    private const int FlagsOffset = 20;

    public static byte[] Build(ulong reservationKey, ulong serviceActionKey, bool aptpl = false, bool allTargetPorts = false, bool specifyInitiatorPorts = false)
    {
        var data = new byte[Length];
        BinaryPrimitives.WriteUInt64BigEndian(data, reservationKey);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(8), serviceActionKey);
        data[FlagsOffset] = (byte)((specifyInitiatorPorts ? 0x08 : 0) | (allTargetPorts ? 0x04 : 0) | (aptpl ? 0x01 : 0));
        return data;
    }
}
