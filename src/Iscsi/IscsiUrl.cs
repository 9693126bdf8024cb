using System.Globalization;

namespace Iscsi;

/// <summary>
/// libiscsi's URL form: <c>iscsi://[user[%secret]@]host[:port][/target-iqn[/lun]][?key=value&amp;...]</c>.
/// Query keys: target_user, target_password (mutual CHAP), header_digest (crc32c|none|crc32c-none|none-crc32c),
/// data_digest (our addition, same values), initiator_name.
/// The secret is in the URL by the caller's choice; it is never echoed by ToString or an error message.
/// </summary>
public sealed class IscsiUrl
{
    public const string Scheme = "iscsi://";

    public required string Host { get; init; }
    public int Port { get; init; } = 3260;
    public string? TargetName { get; init; }
    public int? Lun { get; init; }
    public ChapCredential? Chap { get; init; }
    public ChapCredential? TargetChap { get; init; }
    public bool? HeaderDigest { get; init; }
    public bool? DataDigest { get; init; }
    public string? InitiatorName { get; init; }

    public static IscsiUrl Parse(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
            throw Invalid("(empty)", "the URL is empty");
        string shown = Redact(url);
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            throw Invalid(shown, "it must start with iscsi://");

        string rest = url[Scheme.Length..];
        if (rest.Length == 0) throw Invalid(shown, "the host is missing");
        int queryStart = QueryStart(rest);
        string? query = queryStart < rest.Length ? rest[(queryStart + 1)..] : null;
        rest = rest[..queryStart];

        ChapCredential? chap = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = rest[..at];
            rest = rest[(at + 1)..];
            int pct = userInfo.IndexOf('%');
            if (pct <= 0 || pct == userInfo.Length - 1)
                throw Invalid(shown, "the user part must be user%secret (libiscsi's form)");
            chap = new ChapCredential(userInfo[..pct], userInfo[(pct + 1)..]);
        }

        string authority = rest, path = "";
        int firstSlash = rest.IndexOf('/');
        if (firstSlash >= 0) { authority = rest[..firstSlash]; path = rest[(firstSlash + 1)..]; }
        // A '%' outside IPv6 brackets with no '@' after it is a user%secret whose '@' went missing: refuse it
        // before any of it can reach a host name, a target name or a later error message.
        if (!authority.StartsWith('[') && authority.Contains('%'))
            throw Invalid(shown, "a '%' belongs only in user%secret@ before the host (or an IPv6 zone inside [ ])");
        var (host, port) = ParseAuthority(authority, shown);

        string? target = null;
        int? lun = null;
        if (path.Length > 0)
        {
            string trimmed = path.TrimEnd('/');
            int lastSlash = trimmed.LastIndexOf('/');
            if (lastSlash < 0) target = trimmed;
            else
            {
                target = trimmed[..lastSlash];
                string lunText = trimmed[(lastSlash + 1)..];
                if (!int.TryParse(lunText, NumberStyles.None, CultureInfo.InvariantCulture, out int l) || l > 16383)
                    throw Invalid(shown, $"the LUN '{lunText}' is not a number from 0 to 16383");
                lun = l;
            }
            if (target.Length == 0) target = null;
        }

        string? targetUser = null, targetPassword = null, initiatorName = null;
        bool? headerDigest = null, dataDigest = null;
        if (!string.IsNullOrEmpty(query))
        {
            foreach (var part in SplitQuery(query))
            {
                int eq = part.IndexOf('=');
                string key = eq < 0 ? part : part[..eq];
                string value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
                switch (key.ToLowerInvariant())
                {
                    case "target_user": targetUser = value; break;
                    case "target_password": targetPassword = value; break;
                    case "header_digest": headerDigest = ParseDigest(value, key, shown); break;
                    case "data_digest": dataDigest = ParseDigest(value, key, shown); break;
                    case "initiator_name": initiatorName = value; break;
                    default: throw Invalid(shown, $"the query argument '{key}' is not known ({string.Join(", ", QueryKeys)})");
                }
            }
        }
        ChapCredential? targetChap = null;
        if (targetUser is not null || targetPassword is not null)
        {
            if (string.IsNullOrEmpty(targetUser) || string.IsNullOrEmpty(targetPassword))
                throw Invalid(shown, "mutual CHAP needs both target_user and target_password");
            if (chap is null)
                throw Invalid(shown, "mutual CHAP (target_user) needs the initiator's user%secret too");
            targetChap = new ChapCredential(targetUser, targetPassword);
        }

        return new IscsiUrl
        {
            Host = host, Port = port, TargetName = target, Lun = lun, Chap = chap, TargetChap = targetChap,
            HeaderDigest = headerDigest, DataDigest = dataDigest, InitiatorName = initiatorName,
        };
    }

    private static (string Host, int Port) ParseAuthority(string authority, string shown)
    {
        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0) throw Invalid(shown, "the IPv6 address has no closing ']'");
            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':') throw Invalid(shown, "expected ':' after the IPv6 address");
                portText = authority[(close + 2)..];
            }
        }
        else
        {
            int colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            if (colon >= 0) portText = authority[(colon + 1)..];
        }
        if (host.Length == 0) throw Invalid(shown, "the host is missing");
        int port = 3260;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            throw Invalid(shown, $"the port '{portText}' is not a number from 1 to 65535");
        return (host, port);
    }

    private static bool ParseDigest(string value, string key, string shown) => value.ToLowerInvariant() switch
    {
        "crc32c" or "crc32c-none" => true,
        "none" or "none-crc32c" => false,
        _ => throw Invalid(shown, $"{key} '{value}' must be crc32c, none, crc32c-none or none-crc32c"),
    };

    /// <summary>The URL with any secret replaced by "***" (for messages). It splits the URL the way
    /// <see cref="Parse"/> does, and where the split is in doubt it hides more rather than less.</summary>
    public static string Redact(string url)
    {
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return url;
        string rest = url[Scheme.Length..];
        int queryStart = QueryStart(rest);
        string beforeQuery = rest[..queryStart], query = rest[queryStart..];

        int at = beforeQuery.LastIndexOf('@');
        int pct = beforeQuery.IndexOf('%');
        int bracket = beforeQuery.IndexOf('[');
        bool pctIsIpv6Zone = bracket >= 0 && bracket < pct && (at < 0 || at < bracket);
        if (pct >= 0 && pct < at)
            beforeQuery = beforeQuery[..(pct + 1)] + "***" + beforeQuery[at..];
        else if (pct >= 0 && !pctIsIpv6Zone)
            return Scheme + beforeQuery[..(pct + 1)] + "***"; // user%secret without its '@': everything after '%' may be secret

        if (query.Length > 1)
            query = "?" + string.Join("&", SplitQuery(query[1..]).Select(part =>
                part.StartsWith("target_password=", StringComparison.OrdinalIgnoreCase) ? "target_password=***" : part));
        return Scheme + beforeQuery + query;
    }

    private static readonly string[] QueryKeys = ["target_user", "target_password", "header_digest", "data_digest", "initiator_name"];

    /// <summary>Where the query begins: the first '?' followed by a key name and '=' ('&amp;' or the end). A '?' in a
    /// user%secret is followed by more secret and an '@', which no key name contains.</summary>
    private static int QueryStart(string rest)
    {
        for (int q = rest.IndexOf('?'); q >= 0; q = rest.IndexOf('?', q + 1))
        {
            int end = q + 1;
            while (end < rest.Length && (char.IsAsciiLetterOrDigit(rest[end]) || rest[end] == '_')) end++;
            if (end == rest.Length || rest[end] is '=' or '&') return q;
        }
        return rest.Length;
    }

    /// <summary>The query's key=value parts. A '&amp;' inside target_password (not followed by a known key) stays part
    /// of the password, so that no piece of it is ever reported as an unknown key.</summary>
    private static List<string> SplitQuery(string query)
    {
        var parts = new List<string>();
        foreach (var part in query.Split('&'))
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq];
            bool known = QueryKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
            if (!known && parts.Count > 0 && parts[^1].StartsWith("target_password=", StringComparison.OrdinalIgnoreCase))
                parts[^1] += "&" + part;
            else if (part.Length > 0)
                parts.Add(part);
        }
        return parts;
    }

    /// <summary>Options for a session to this URL, starting from <paramref name="template"/>.</summary>
    public IscsiSessionOptions ToOptions(IscsiSessionOptions? template = null)
    {
        var o = (template ?? new IscsiSessionOptions()).Clone();
        if (Chap is not null) o.Chap = Chap;
        if (TargetChap is not null) o.TargetChap = TargetChap;
        if (HeaderDigest is { } h) o.HeaderDigest = h;
        if (DataDigest is { } d) o.DataDigest = d;
        if (InitiatorName is not null) o.InitiatorName = InitiatorName;
        return o;
    }

    public override string ToString()
    {
        string host = Host.Contains(':') ? $"[{Host}]" : Host;
        string user = Chap is null ? "" : $"{Chap.UserName}%***@";
        string path = TargetName is null ? "" : "/" + TargetName + (Lun is { } l ? "/" + l.ToString(CultureInfo.InvariantCulture) : "");
        return $"{Scheme}{user}{host}:{Port}{path}";
    }

    private static IscsiArgumentException Invalid(string shown, string why)
        => new("UrlInvalid", $"The iSCSI URL '{shown}' is not valid: {why}. Expected iscsi://[user%secret@]host[:port]/target-iqn/lun.");
}
