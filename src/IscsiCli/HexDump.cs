using System.Text;

namespace IscsiCli;

/// <summary>Format-Hex style dump: offset, 16 bytes, printable ASCII.</summary>
public static class HexDump
{
    public static void Write(TextWriter output, ReadOnlySpan<byte> data, long baseOffset = 0)
    {
        var line = new StringBuilder(80);
        for (int row = 0; row < data.Length; row += 16)
        {
            line.Clear();
            line.Append((baseOffset + row).ToString("X8")).Append("  ");
            int n = Math.Min(16, data.Length - row);
            for (int i = 0; i < 16; i++)
            {
                line.Append(i < n ? data[row + i].ToString("X2") : "  ").Append(i == 7 ? "  " : " ");
            }
            line.Append(' ');
            for (int i = 0; i < n; i++)
            {
                byte b = data[row + i];
                line.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}
