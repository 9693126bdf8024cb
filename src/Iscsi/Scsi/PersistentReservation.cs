using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>PERSISTENT RESERVE IN, READ RESERVATION parameter data (SPC-5 6.16.3).</summary>
/// <remarks><code>
/// 0-3   | PRGENERATION                        |
/// 4-7   | ADDITIONAL LENGTH (0 or 16)         |
/// 8-15  | RESERVATION KEY                     |
/// 16-19 | obsolete | 20 reserved              |
/// 21    | SCOPE (7-4) | TYPE (3-0)            |
/// 22-23 | obsolete                            |
/// </code></remarks>
public sealed class PersistentReservation
{
    private const int HeaderLength = 8;
    private const int ReservationDescriptorLength = 16;
    private const int ScopeTypeOffset = 21;

    private PersistentReservation() { }

    public uint Generation { get; private init; }
    /// <summary>True when a persistent reservation is held (ADDITIONAL LENGTH 16).</summary>
    public bool IsReserved { get; private init; }
    public ulong ReservationKey { get; private init; }
    public byte Scope { get; private init; }
    public PersistentReservationType Type { get; private init; }

    public static PersistentReservation Parse(ReadOnlySpan<byte> data)
    {
        ScsiData.RequireLength(data, HeaderLength, "PERSISTENT RESERVE IN READ RESERVATION data");
        uint additional = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (additional != 0 && additional != ReservationDescriptorLength)
            throw ScsiData.Malformed($"READ RESERVATION ADDITIONAL LENGTH {additional} is neither 0 nor 16.");
        var result = new PersistentReservation { Generation = BinaryPrimitives.ReadUInt32BigEndian(data) };
        if (additional == 0)
            return result;
        ScsiData.RequireLength(data, HeaderLength + ReservationDescriptorLength, "READ RESERVATION data with a reservation");
        return new PersistentReservation
        {
            Generation = result.Generation,
            IsReserved = true,
            ReservationKey = BinaryPrimitives.ReadUInt64BigEndian(data[HeaderLength..]),
            Scope = (byte)(data[ScopeTypeOffset] >> 4),
            Type = (PersistentReservationType)(data[ScopeTypeOffset] & 0x0F),
        };
    }
}
