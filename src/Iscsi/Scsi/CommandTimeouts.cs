using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>Command timeouts descriptor (SPC-5 6.35.4), returned when RCTD is set.</summary>
/// <remarks><code>
/// 0-1 | DESCRIPTOR LENGTH (0Ah) | 2 reserved | 3 COMMAND SPECIFIC | 4-7 NOMINAL COMMAND PROCESSING TIMEOUT | 8-11 RECOMMENDED COMMAND TIMEOUT
/// </code></remarks>
public sealed class CommandTimeouts
{
    internal const int Length = 12;

    private CommandTimeouts(uint nominal, uint recommended)
    {
        NominalSeconds = nominal;
        RecommendedSeconds = recommended;
    }

    public uint NominalSeconds { get; }
    public uint RecommendedSeconds { get; }

    internal static CommandTimeouts? TryParse(ReadOnlySpan<byte> d)
        => d.Length >= Length
            ? new CommandTimeouts(BinaryPrimitives.ReadUInt32BigEndian(d[4..]), BinaryPrimitives.ReadUInt32BigEndian(d[8..]))
            : null;
}
