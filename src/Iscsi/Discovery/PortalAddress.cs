using System.Globalization;

namespace Iscsi.Discovery;

/// <summary>Parses the iSCSI TargetAddress form "domainname[:port][,portal-group-tag]" (RFC 7143 13.9),
/// where an IPv6 literal is bracketed.</summary>
public static class PortalAddress
{
    public const int DefaultPort = 3260;

    /// <summary>A portal the caller gave ("host[:port][,tpgt]"): like <see cref="Parse"/>, but a malformed one is the
    /// caller's mistake (<c>PortalInvalid</c>), not a target's.</summary>
    public static TargetPortal ParseGiven(string value, int defaultPort = DefaultPort)
    {
        try
        {
            return Parse(value, defaultPort);
        }
        catch (IscsiProtocolException ex)
        {
            throw new IscsiArgumentException("PortalInvalid", $"'{value}' is not a portal (host[:port][,portal-group-tag]): {ex.Message}");
        }
    }

    public static TargetPortal Parse(string value, int defaultPort = DefaultPort)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new IscsiProtocolException("An empty TargetAddress was received.", "TargetAddressMalformed");
        string rest = value.Trim();
        ushort tag = 1;
        int comma = rest.LastIndexOf(',');
        if (comma >= 0)
        {
            if (!ushort.TryParse(rest[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out tag))
                throw new IscsiProtocolException($"TargetAddress '{TextSafety.Printable(value)}' has a malformed portal group tag.", "TargetAddressMalformed");
            rest = rest[..comma];
        }
        string host;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0)
                throw new IscsiProtocolException($"TargetAddress '{TextSafety.Printable(value)}' has an unclosed IPv6 bracket.", "TargetAddressMalformed");
            host = rest[1..close];
            if (close + 1 < rest.Length)
            {
                if (rest[close + 1] != ':')
                    throw new IscsiProtocolException($"TargetAddress '{TextSafety.Printable(value)}' is malformed after the IPv6 address.", "TargetAddressMalformed");
                portText = rest[(close + 2)..];
            }
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            if (colon >= 0 && rest.IndexOf(':') == colon)
            {
                host = rest[..colon];
                portText = rest[(colon + 1)..];
            }
            else host = rest; // no port, or an unbracketed IPv6 literal
        }
        int port = defaultPort;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            throw new IscsiProtocolException($"TargetAddress '{TextSafety.Printable(value)}' has an invalid port '{TextSafety.Printable(portText)}'.", "TargetAddressMalformed");
        if (host.Length == 0)
            throw new IscsiProtocolException($"TargetAddress '{TextSafety.Printable(value)}' has no host.", "TargetAddressMalformed");
        return new TargetPortal(host, port, tag);
    }
}
