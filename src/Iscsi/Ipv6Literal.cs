using System.Buffers;

namespace Iscsi;

/// <summary>The text between the brackets of an IPv6 host in a URL: an address and an optional %zone
/// ("fe80::1%eth0", RFC 6874). A shape check only: what it admits is still resolved, and refused, by the socket.</summary>
internal static class Ipv6Literal
{
    private static readonly SearchValues<char> AddressCharacters = SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly SearchValues<char> ZoneCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    public static bool IsValid(ReadOnlySpan<char> inside)
    {
        int percent = inside.IndexOf('%');
        var address = percent < 0 ? inside : inside[..percent];
        if (!address.Contains(':') || address.ContainsAnyExcept(AddressCharacters)) return false;
        if (percent < 0) return true;
        var zone = inside[(percent + 1)..];
        return !zone.IsEmpty && !zone.ContainsAnyExcept(ZoneCharacters);
    }
}
