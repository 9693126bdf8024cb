using System.Buffers;
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
        int queryStart = IscsiUrlQuery.Start(rest);
        string? query = queryStart < rest.Length ? rest[(queryStart + 1)..] : null;
        rest = rest[..queryStart];
        // Before it is split into host, target and LUN, any of which would then quote a piece of the password.
        if (IscsiUrlQuery.HoldsPassword(rest))
            throw Invalid(shown, "target_password= stands outside the query (is the '?' before the query missing?)");

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
                    throw Invalid(shown, $"the LUN '{Piece(lunText)}' is not a number from 0 to 16383");
                lun = l;
            }
            if (target.Length == 0) target = null;
            else if (FirstOutsideName(target) is { } bad)
                throw Invalid(shown, $"the target name '{Piece(target)}' contains {Describe(bad)}, which no iSCSI name does{Hint(bad)}");
        }

        string? targetUser = null, targetPassword = null, initiatorName = null;
        bool? headerDigest = null, dataDigest = null;
        if (!string.IsNullOrEmpty(query))
        {
            foreach (var part in IscsiUrlQuery.Split(query))
            {
                int eq = part.IndexOf('=');
                string key = eq < 0 ? part : part[..eq];
                string value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
                if (!key.Equals(IscsiUrlQuery.TargetPassword, StringComparison.OrdinalIgnoreCase) && IscsiUrlQuery.HoldsPassword(value))
                    throw Invalid(shown, $"the value of '{Piece(key)}' holds target_password= (is the '&' before it missing?)");
                switch (key.ToLowerInvariant())
                {
                    case "target_user": targetUser = value; break;
                    case IscsiUrlQuery.TargetPassword: targetPassword = value; break;
                    case "header_digest": headerDigest = ParseDigest(value, key, shown); break;
                    case "data_digest": dataDigest = ParseDigest(value, key, shown); break;
                    case "initiator_name": initiatorName = value; break;
                    default: throw Invalid(shown, $"the query argument '{Piece(key)}' is not known ({string.Join(", ", IscsiUrlQuery.Keys)})");
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
            if (!Ipv6Literal.IsValid(host))
                throw Invalid(shown, $"'[{Piece(host)}]' is not an IPv6 address (with an optional %zone)");
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
            if (FirstOutsideName(host) is { } bad)
                throw Invalid(shown, $"the host '{Piece(host)}' contains {Describe(bad)}, which no host name does{Hint(bad)}");
        }
        if (host.Length == 0) throw Invalid(shown, "the host is missing");
        int port = 3260;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            throw Invalid(shown, $"the port '{Piece(portText)}' is not a number from 1 to 65535");
        return (host, port);
    }

    private static bool ParseDigest(string value, string key, string shown) => value.ToLowerInvariant() switch
    {
        "crc32c" or "crc32c-none" => true,
        "none" or "none-crc32c" => false,
        _ => throw Invalid(shown, $"{key} '{Piece(value)}' must be crc32c, none, crc32c-none or none-crc32c"),
    };

    /// <summary>The text with every secret it may hold replaced by "***" and control characters escaped: for messages
    /// and error records. Any text is taken, well formed or not (no scheme, a mistyped scheme, a leading space...):
    /// user%secret@, user:secret@, a user%secret without its '@', target_password and unknown query keys are hidden.
    /// It splits the text the way <see cref="Parse"/> does, and where the split is in doubt it hides more rather
    /// than less.</summary>
    public static string Redact(string url) => IscsiUrlRedaction.Redact(url);

    // Characters with a meaning in the URL or none in a host or an iSCSI name: one of them in either means the URL
    // was split wrongly (a '?' or '@' missing, a '%' of a secret), and the text may hold a secret.
    private static readonly SearchValues<char> UrlSyntax = SearchValues.Create("%&=?@#");

    private static char? FirstOutsideName(string name)
    {
        foreach (char c in name)
            if (UrlSyntax.Contains(c) || char.IsWhiteSpace(c) || char.IsControl(c)) return c;
        return null;
    }

    private static string Describe(char c) => char.IsWhiteSpace(c) || char.IsControl(c)
        ? $"the character U+{(int)c:X4}"
        : $"'{c}'";

    private static string Hint(char c) => c switch
    {
        '=' or '&' => " (is the '?' before the query missing?)",
        '%' or '@' => " (user%secret@ goes before the host)",
        _ => "",
    };

    /// <summary>A piece of the URL quoted in a message: redacted like the whole, since a URL split wrongly can put a
    /// secret into what was taken for a port, a LUN or a key.</summary>
    private static string Piece(string text) => Redact(text);

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
        return TextSafety.Printable($"{Scheme}{user}{host}:{Port}{path}");
    }

    private static IscsiArgumentException Invalid(string shown, string why)
        => new("UrlInvalid", $"The iSCSI URL '{shown}' is not valid: {why}. Expected iscsi://[user%secret@]host[:port]/target-iqn/lun.");
}
