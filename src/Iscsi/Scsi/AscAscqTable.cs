using System.Collections.Frozen;

namespace Iscsi.Scsi;

/// <summary>
/// The T10 additional sense code table (ASC/ASCQ to its standard name, as in t10.org/lists/asc-num.txt),
/// including the three families where the ASCQ is a parameter rather than a code point.
/// </summary>
public static partial class AscAscqTable
{
    private static readonly Lazy<FrozenDictionary<ushort, string>> Entries = new(ParseRows);

    /// <summary>Number of specific (non-range) ASC/ASCQ code points the table names.</summary>
    public static int Count => Entries.Value.Count;

    /// <summary>All specific entries, in numeric order.</summary>
    public static IEnumerable<(byte Asc, byte Ascq, string Name)> All
        => Entries.Value.OrderBy(e => e.Key).Select(e => ((byte)(e.Key >> 8), (byte)e.Key, e.Value));

    /// <summary>The standard T10 name of an ASC/ASCQ pair, or null when T10 assigns it none.</summary>
    public static string? Lookup(byte asc, byte ascq)
    {
        if (Entries.Value.TryGetValue(Key(asc, ascq), out var name))
            return name;
        // Ranges where the qualifier carries a number (asc-num.txt "NN" rows).
        return asc switch
        {
            0x40 when ascq >= 0x80 => $"DIAGNOSTIC FAILURE ON COMPONENT {ascq:X2}H",
            0x4D => $"TAGGED OVERLAPPED COMMANDS (TASK TAG {ascq:X2}H)",
            0x70 => $"DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF {ascq:X2}H",
            _ => null,
        };
    }

    /// <summary>Always a text: the standard name, or what kind of unassigned code it is.</summary>
    public static string Describe(byte asc, byte ascq)
    {
        if (Lookup(asc, ascq) is { } name)
            return name;
        // SPC: ASC values 80h-FFh, and ASCQ values 80h-FFh under any ASC, are vendor specific.
        if (asc >= 0x80 || ascq >= 0x80)
            return $"VENDOR SPECIFIC ASC/ASCQ {asc:X2}H/{ascq:X2}H";
        return $"UNKNOWN ASC/ASCQ {asc:X2}H/{ascq:X2}H";
    }

    private static ushort Key(byte asc, byte ascq) => (ushort)(asc << 8 | ascq);

    private static FrozenDictionary<ushort, string> ParseRows()
    {
        var map = new Dictionary<ushort, string>(800);
        foreach (var line in Rows.AsSpan().EnumerateLines())
        {
            // Each row: "AAQQ NAME" with AA = ASC and QQ = ASCQ in hex.
            if (line.Length < 6) continue;
            ushort key = ushort.Parse(line[..4], System.Globalization.NumberStyles.HexNumber);
            map[key] = line[5..].ToString();
        }
        return map.ToFrozenDictionary();
    }
}
