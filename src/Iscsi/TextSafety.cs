using System.Globalization;
using System.Text;

namespace Iscsi;

/// <summary>
/// Text from users or targets made safe to print: control characters (ESC, BEL, CR, NUL, DEL, C1...) become \xNN
/// so that a target name, an INQUIRY string or a mistyped URL cannot rewrite the terminal it is shown on.
/// Decoded objects keep the raw text (a script may need it); only what goes to a terminal or into a message passes
/// through here.
/// </summary>
public static class TextSafety
{
    private const string Ellipsis = "...";

    /// <summary>The text with every control character written as \xNN.</summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.Any(char.IsControl)) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c)) AppendEscape(sb, c);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary><see cref="Printable(string)"/> of at most the first <paramref name="maxChars"/> characters, with
    /// "..." when more were cut: for a target's value quoted in a message, which may be kilobytes long.</summary>
    public static string Printable(string? text, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);
        if (text is null || text.Length <= maxChars) return Printable(text);
        return Printable(text[..maxChars]) + Ellipsis;
    }

    /// <summary>Bytes quoted as text: printable ASCII as is; anything else, and '"' and '\' (so that the quote
    /// stays unambiguous), as \xNN. At most <paramref name="maxBytes"/> bytes, with "..." when more were cut.</summary>
    public static string PrintableBytes(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var sb = new StringBuilder(Math.Min(bytes.Length, maxBytes) * 2);
        foreach (byte b in bytes[..Math.Min(bytes.Length, maxBytes)])
        {
            if (b is >= 0x20 and < 0x7F && b != (byte)'"' && b != (byte)'\\') sb.Append((char)b);
            else AppendEscape(sb, b);
        }
        if (bytes.Length > maxBytes) sb.Append(Ellipsis);
        return sb.ToString();
    }

    // Every control character (C0, DEL, C1) is at most 0x9F: two hex digits always do.
    private static void AppendEscape(StringBuilder sb, int value)
        => sb.Append("\\x").Append(value.ToString("X2", CultureInfo.InvariantCulture));
}
