namespace Iscsi;

/// <summary>The query of an iSCSI URL (after '?'): its keys, where it starts and how it splits. The parser and the
/// redaction share it, so that both read a URL the same way.</summary>
internal static class IscsiUrlQuery
{
    public const string TargetPassword = "target_password";

    public static readonly string[] Keys = ["target_user", TargetPassword, "header_digest", "data_digest", "initiator_name"];

    public static bool IsKey(string key) => Keys.Contains(key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Where the query begins: the first '?' followed by a key name and '=' ('&amp;' or the end). A '?' in a
    /// user%secret is followed by more secret and an '@', which no key name contains.</summary>
    public static int Start(string text)
    {
        for (int q = text.IndexOf('?'); q >= 0; q = text.IndexOf('?', q + 1))
        {
            int end = KeyEnd(text, q + 1);
            if (end == text.Length || text[end] is '=' or '&') return q;
        }
        return text.Length;
    }

    /// <summary>True when a known key (followed by '=', '&amp;' or the end) starts at <paramref name="index"/>.</summary>
    public static bool IsKeyAt(string text, int index)
    {
        int end = KeyEnd(text, index);
        return end > index && IsKey(text[index..end]) && (end == text.Length || text[end] is '=' or '&');
    }

    /// <summary>The query's key=value parts. A '&amp;' inside target_password (not followed by a known key) stays part
    /// of the password, so that no piece of it is ever reported as an unknown key; so it does when the '&amp;' before
    /// target_password went missing and the password ended up inside another part.</summary>
    public static List<string> Split(string query)
    {
        var parts = new List<string>();
        foreach (var part in query.Split('&'))
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq];
            if (!IsKey(key) && parts.Count > 0 && HoldsPassword(parts[^1]))
                parts[^1] += "&" + part;
            else if (part.Length > 0)
                parts.Add(part);
        }
        return parts;
    }

    public static bool HoldsPassword(string text) => text.Contains(TargetPassword + "=", StringComparison.OrdinalIgnoreCase);

    private static int KeyEnd(string text, int start)
    {
        int end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
        return end;
    }
}
