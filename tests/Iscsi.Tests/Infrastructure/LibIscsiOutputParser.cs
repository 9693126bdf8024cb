using System.Globalization;
using System.Text.RegularExpressions;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Parses what libiscsi 1.19's utilities print. Formats learnt by running them against tgtd 1.0.85;
/// anything unexpected is a FormatException quoting the line, so a format change shows up as such.</summary>
public static partial class LibIscsiOutputParser
{
    /// <summary>iscsi-inq output: one "Name:value" per line, the value running to the end of the line
    /// ("Version:5 ANSI INCITS 408-2005 (SPC-3)"). A line without a colon continues the previous value:
    /// iscsi-inq prints binary designators raw, and their bytes can include a newline.</summary>
    public static LibIscsiFields ParseInquiry(string output)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in Lines(output))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                fields.Add(new(line[..colon], line[(colon + 1)..]));
            }
            else if (fields.Count > 0)
            {
                var last = fields[^1];
                fields[^1] = new(last.Key, last.Value + "\n" + line);
            }
            else
            {
                throw new FormatException($"iscsi-inq output starts with a line that is not 'Name:value': '{line}'");
            }
        }

        return new LibIscsiFields(fields);
    }

    /// <summary>iscsi-readcapacity16 output. Some lines hold several "NAME:value" pairs and names contain blanks
    /// ("P_I_EXPONENT:0 LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT:3"); values never do.</summary>
    public static LibIscsiReadCapacity16 ParseReadCapacity16(string output)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in Lines(output))
        {
            var match = NameValuePairs().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"iscsi-readcapacity16 printed a line that is not 'NAME:value' pairs: '{line}'");
            }

            // One capture per pair: .NET keeps every repetition of a group.
            var names = match.Groups["name"].Captures;
            var values = match.Groups["value"].Captures;
            for (var i = 0; i < names.Count; i++)
            {
                fields.Add(new(names[i].Value, values[i].Value));
            }
        }

        var all = new LibIscsiFields(fields);
        return new LibIscsiReadCapacity16(
            ParseUInt64(all, "RETURNED LOGICAL BLOCK ADDRESS"),
            checked((uint)ParseUInt64(all, "LOGICAL BLOCK LENGTH IN BYTES")),
            (int)ParseUInt64(all, "P_TYPE"),
            ParseUInt64(all, "PROT_EN") != 0,
            (int)ParseUInt64(all, "P_I_EXPONENT"),
            (int)ParseUInt64(all, "LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT"),
            ParseUInt64(all, "LBPME") != 0,
            ParseUInt64(all, "LBPRZ") != 0,
            ParseUInt64(all, "LOWEST ALIGNED LOGICAL BLOCK ADDRESS"),
            ParseUInt64(all, "Total size"),
            all);
    }

    /// <summary>iscsi-ls output, with or without -s: "Target:iqn Portal:addr,tpgt" lines, each followed by
    /// its "Lun:n    Type:TYPE (Size:63M)" lines when -s was given.</summary>
    public static IReadOnlyList<LibIscsiTarget> ParseTargetList(string output)
    {
        var targets = new List<(string Iqn, string Portal, List<LibIscsiLun> Luns)>();
        foreach (var line in Lines(output))
        {
            if (TargetLine().Match(line) is { Success: true } target)
            {
                targets.Add((target.Groups["iqn"].Value, target.Groups["portal"].Value, []));
            }
            else if (LunLine().Match(line) is { Success: true } lun)
            {
                if (targets.Count == 0)
                {
                    throw new FormatException($"iscsi-ls printed a LUN before any target: '{line}'");
                }

                var size = lun.Groups["size"].Success ? lun.Groups["size"].Value : null;
                targets[^1].Luns.Add(new LibIscsiLun(int.Parse(lun.Groups["lun"].Value, CultureInfo.InvariantCulture), lun.Groups["type"].Value, size));
            }
            else
            {
                throw new FormatException($"iscsi-ls printed a line that is neither 'Target:' nor 'Lun:': '{line}'");
            }
        }

        return targets.Select(t => new LibIscsiTarget(t.Iqn, t.Portal, t.Luns)).ToArray();
    }

    private static ulong ParseUInt64(LibIscsiFields fields, string name) =>
        ulong.TryParse(fields[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"iscsi-readcapacity16 field '{name}' is '{fields[name]}', not a number");

    private static IEnumerable<string> Lines(string output) =>
        output.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0);

    [GeneratedRegex(@"^(?:(?<name>[A-Za-z_][A-Za-z0-9_ ]*?):(?<value>\S+) *)+$")]
    private static partial Regex NameValuePairs();

    [GeneratedRegex(@"^Target:(?<iqn>\S+) Portal:(?<portal>\S+)$")]
    private static partial Regex TargetLine();

    [GeneratedRegex(@"^Lun:(?<lun>\d+)\s+Type:(?<type>\S+)(?: \(Size:(?<size>[^)]+)\))?$")]
    private static partial Regex LunLine();
}
