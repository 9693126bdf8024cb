using System.Net;
using System.Text;

namespace Iscsi.Login;

/// <summary>Our default iSCSI name and a syntax check for the three iSCSI name formats (RFC 7143 4.2.7).</summary>
public static class InitiatorNames
{
    /// <summary>The year-month in our default iqn. An iqn's date says when the naming authority (the domain in
    /// the name) was owned by whoever coined the name; it is not "today". A fixed constant keeps the default name
    /// stable across runs and years, which matters because targets grant access (ACLs, CHAP accounts) by name.</summary>
    public const string DefaultNameDate = "2026-11";

    /// <summary>The unique part after the ':' of our default name.</summary>
    public const string DefaultNameSuffix = "iscsimodule";

    /// <summary>The naming authority used when the host name cannot serve as one.</summary>
    public const string FallbackNamingAuthority = "localdomain";

    /// <summary>RFC 7143 4.2.7.1: an iSCSI name is at most 223 bytes (UTF-8).</summary>
    public const int MaxNameBytes = 223;

    private const int EuiHexDigits = 16;
    private const int NaaShortHexDigits = 16;
    private const int NaaLongHexDigits = 32;

    /// <summary>"iqn.2026-11.&lt;reversed lower-case host name&gt;:iscsimodule", e.g. host "nas01.lab.example"
    /// gives "iqn.2026-11.example.lab.nas01:iscsimodule".</summary>
    public static string Default()
    {
        string hostName;
        try
        {
            // gethostname(), not a DNS lookup: no network traffic and no waiting.
            hostName = Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            hostName = "";
        }
        return Default(hostName);
    }

    /// <summary>The default name for a given host name (split out so that it can be tested).</summary>
    internal static string Default(string? hostName) =>
        $"iqn.{DefaultNameDate}.{ReversedNamingAuthority(hostName)}:{DefaultNameSuffix}";

    /// <summary>True when <paramref name="name"/> has the form of an iqn. ("iqn.yyyy-mm.reversed.domain[:anything]"),
    /// eui. (16 hex digits) or naa. (16 or 32 hex digits) name and is at most 223 bytes.</summary>
    public static bool IsValidName(string? name) => IsValidName(name, allowUnderscore: false);

    /// <summary><see cref="IsValidName(string)"/> for the name of a target we are about to log in to, tolerating '_' in an
    /// iqn's unique part: RFC 3722 leaves it out, but several targets (LIO, TrueNAS) let administrators use it, and
    /// refusing a name the target itself accepts would help nobody.</summary>
    public static bool IsValidTargetName(string? name) => IsValidName(name, allowUnderscore: true);

    private static bool IsValidName(string? name, bool allowUnderscore)
    {
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            return false;
        if (name.StartsWith("iqn.", StringComparison.Ordinal))
            return IsValidIqn(name.AsSpan(4), allowUnderscore);
        if (name.StartsWith("eui.", StringComparison.Ordinal))
            return IsHex(name.AsSpan(4), EuiHexDigits);
        if (name.StartsWith("naa.", StringComparison.Ordinal))
            return IsHex(name.AsSpan(4), NaaShortHexDigits) || IsHex(name.AsSpan(4), NaaLongHexDigits);
        return false;
    }

    private static string ReversedNamingAuthority(string? hostName)
    {
        if (string.IsNullOrWhiteSpace(hostName))
            return FallbackNamingAuthority;
        string[] labels = hostName.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        foreach (string label in labels)
        {
            // A label that would not be a valid DNS label (empty, '_', spaces...) cannot be a naming authority.
            if (label.Length == 0 || label[0] == '-' || !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                return FallbackNamingAuthority;
        }
        Array.Reverse(labels);
        return string.Join('.', labels);
    }

    // After "iqn.": yyyy-mm '.' naming-authority [':' unique-part]
    private static bool IsValidIqn(ReadOnlySpan<char> rest, bool allowUnderscore)
    {
        const int DateLength = 7; // "yyyy-mm"
        if (rest.Length < DateLength + 2 || rest[DateLength] != '.')
            return false;
        ReadOnlySpan<char> date = rest[..DateLength];
        if (!IsDigits(date[..4]) || date[4] != '-' || !IsDigits(date[5..]))
            return false;
        int month = (date[5] - '0') * 10 + (date[6] - '0');
        if (month is < 1 or > 12)
            return false;

        ReadOnlySpan<char> afterDate = rest[(DateLength + 1)..];
        int colon = afterDate.IndexOf(':');
        ReadOnlySpan<char> authority = colon < 0 ? afterDate : afterDate[..colon];
        if (authority.IsEmpty || authority[0] == '.' || authority[^1] == '.' || authority.Contains("..", StringComparison.Ordinal))
            return false;
        foreach (char c in authority)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
                return false;
        }
        if (colon < 0)
            return true;
        ReadOnlySpan<char> unique = afterDate[(colon + 1)..];
        if (unique.IsEmpty)
            return false;
        foreach (char c in unique)
        {
            // RFC 3722 allows non-ASCII characters; in ASCII only letters, digits, '-', '.' and ':'.
            if (c < 0x80 && !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' || (allowUnderscore && c == '_')))
                return false;
            if (char.IsControl(c) || char.IsWhiteSpace(c))
                return false;
        }
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> text, int digits)
    {
        if (text.Length != digits)
            return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}
