using System.Globalization;

namespace Iscsi.Login;

/// <summary>Reading and writing the simple value forms of RFC 7143 6.1: numbers (decimal, or hex with a "0x"
/// prefix) and booleans ("Yes"/"No"), plus the special answers a peer may give instead of a value.</summary>
internal static class TextValues
{
    public const string Yes = "Yes";
    public const string No = "No";
    public const string Reject = "Reject";
    public const string Irrelevant = "Irrelevant";
    public const string NotUnderstood = "NotUnderstood";

    // 2^64 - 1 has 20 decimal digits and 16 hex digits; anything longer cannot be a regular numerical value.
    private const int MaxDecimalDigits = 20;
    private const int MaxHexDigits = 16;

    public static bool TryParseNumber(string text, out ulong value)
    {
        value = 0;
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            ReadOnlySpan<char> hex = text.AsSpan(2);
            return hex.Length <= MaxHexDigits && IsAll(hex, Uri.IsHexDigit)
                && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        return text.Length is > 0 and <= MaxDecimalDigits && IsAll(text, char.IsAsciiDigit)
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseBoolean(string text, out bool value)
    {
        value = text == Yes;
        return text is Yes or No;
    }

    public static string FormatBoolean(bool value) => value ? Yes : No;

    public static string FormatNumber(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsAll(ReadOnlySpan<char> text, Func<char, bool> predicate)
    {
        foreach (char c in text)
        {
            if (!predicate(c))
                return false;
        }
        return true;
    }
}
