using System.Text;

namespace IscsiModule.Logic;

/// <summary>Text from users or targets made safe to print: control characters (ESC, BEL, CR...) become \xNN so that
/// a name cannot rewrite the terminal it is shown on.</summary>
public static class TextSafety
{
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.Any(char.IsControl)) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
