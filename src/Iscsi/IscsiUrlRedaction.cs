using System.Buffers;

namespace Iscsi;

/// <summary>
/// Hides the secrets of anything that may be meant as an iSCSI URL, well formed or not (no scheme, "iscsi:/",
/// "iscs://", a leading space...): the user%secret@ or user:secret@ before a host, a user%secret whose '@' went
/// missing, target_password values, and the values of query keys we do not know (a mistyped "target_pasword" still
/// holds a password). Where the shape is in doubt it hides more rather than less. The result is for messages and
/// error records only: control characters come out as \xNN.
/// </summary>
internal static class IscsiUrlRedaction
{
    private const string Hidden = "***";
    private const string SchemeSeparator = "://";
    private const string PasswordAssignment = IscsiUrlQuery.TargetPassword + "=";

    // Query values shown as they are: none of these keys holds a secret.
    private static readonly string[] ShownQueryKeys = ["target_user", "header_digest", "data_digest", "initiator_name"];
    // What marks a user%secret@ wherever it stands.
    private static readonly SearchValues<char> SecretMarks = SearchValues.Create("%@");

    public static string Redact(string text)
    {
        string withoutPasswords = HidePasswords(text);
        int queryStart = IscsiUrlQuery.Start(withoutPasswords);
        string beforeQuery = withoutPasswords[..queryStart];

        // The parser takes the last '@' before the query as the end of the user part (a secret may hold '@').
        int at = beforeQuery.LastIndexOf('@');
        string userPart = at < 0 ? "" : HideUserInfo(beforeQuery[..at]) + "@";
        string hostAndPath = beforeQuery[(at + 1)..];
        int stray = FirstSecretPercent(hostAndPath);
        if (stray < 0) return TextSafety.Printable(userPart + hostAndPath + HideQueryValues(withoutPasswords[queryStart..]));
        // A '%' after the '@' is a user%secret whose own '@' went missing: everything after it may be secret. When
        // the user part has a '%' too, the '@' taken for its end may be one inside that secret: all after the first.
        int userPercent = userPart.IndexOf('%');
        return TextSafety.Printable(userPercent >= 0
            ? userPart[..(userPercent + 1)] + Hidden
            : userPart + hostAndPath[..(stray + 1)] + Hidden);
    }

    /// <summary>Every target_password value, wherever it stands (a URL whose '?' went missing has it in the path), up
    /// to the next '&amp;' that starts a known key, or the end.</summary>
    private static string HidePasswords(string text)
    {
        int from = 0;
        while (from < text.Length)
        {
            int key = text.IndexOf(PasswordAssignment, from, StringComparison.OrdinalIgnoreCase);
            if (key < 0) break;
            int valueStart = key + PasswordAssignment.Length;
            int valueEnd = valueStart;
            while (valueEnd < text.Length && !(text[valueEnd] == '&' && IscsiUrlQuery.IsKeyAt(text, valueEnd + 1))) valueEnd++;
            text = text[..valueStart] + Hidden + text[valueEnd..];
            from = valueStart + Hidden.Length;
        }
        return text;
    }

    /// <summary>What stands before the '@': "user%***", "user:***" (RFC 3986's form, which libiscsi does not take),
    /// or "***" alone when there is no separator to tell a user name from a secret.</summary>
    private static string HideUserInfo(string beforeAt)
    {
        int percent = beforeAt.IndexOf('%');
        if (percent >= 0) return beforeAt[..(percent + 1)] + Hidden;
        int scheme = beforeAt.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        int userStart = scheme < 0 ? 0 : scheme + SchemeSeparator.Length;
        int colon = beforeAt.IndexOf(':', userStart);
        return colon >= 0 ? beforeAt[..(colon + 1)] + Hidden : beforeAt[..userStart] + Hidden;
    }

    private static int FirstSecretPercent(string hostAndPath)
    {
        for (int p = hostAndPath.IndexOf('%'); p >= 0; p = hostAndPath.IndexOf('%', p + 1))
            if (!IsIpv6Zone(hostAndPath, p)) return p;
        return -1;
    }

    /// <summary>True for the '%' of "[fe80::1%eth0]": a bracket that opens the host, an IPv6 address before the '%',
    /// a zone name after it and the closing bracket. Anything else around a '%' is taken for a secret.</summary>
    private static bool IsIpv6Zone(string text, int percent)
    {
        int open = text.LastIndexOf('[', percent);
        if (open < 0 || (open > 0 && text[open - 1] is not ('/' or '@'))) return false;
        int close = text.IndexOf(']', percent);
        return close >= 0 && Ipv6Literal.IsValid(text.AsSpan(open + 1, close - open - 1));
    }

    private static string HideQueryValues(string query)
    {
        if (query.Length <= 1) return query;
        return "?" + string.Join("&", IscsiUrlQuery.Split(query[1..]).Select(HideQueryPart));
    }

    private static string HideQueryPart(string part)
    {
        int eq = part.IndexOf('=');
        string key = eq < 0 ? part : part[..eq];
        if (key.AsSpan().ContainsAny(SecretMarks)) return Hidden;
        if (eq < 0) return part;
        bool harmless = ShownQueryKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && !part.AsSpan(eq + 1).ContainsAny(SecretMarks);
        return harmless ? part : key + "=" + Hidden;
    }
}
