namespace Iscsi.Tests.Infrastructure;

/// <summary>Builds libiscsi 1.19 URLs, the syntax its utilities (and our -Uri parameter) accept:
/// <c>iscsi://[user[%secret]@]host[:port][/iqn/lun][?target_user=..&amp;target_password=..&amp;header_digest=crc32c]</c>.
/// The query keys were checked against libiscsi 1.19 on this machine: target_user/target_password set the
/// credential the TARGET must present (mutual CHAP); header_digest accepts only "crc32c" or "none", and the
/// utilities then override it with their own "None,CRC32C" offer anyway.</summary>
public static class LibIscsiUrl
{
    /// <summary>A portal URL, as iscsi-ls wants it.</summary>
    public static string Portal(string host, int port, string? user = null, string? secret = null) =>
        $"iscsi://{Credentials(user, secret)}{host}:{port}";

    /// <summary>A LUN URL, as iscsi-inq and iscsi-readcapacity16 want it.</summary>
    public static string Lun(
        string host, int port, string iqn, int lun,
        string? user = null, string? secret = null,
        string? targetUser = null, string? targetSecret = null,
        bool headerDigest = false)
    {
        var query = new List<string>();
        if (targetUser is not null)
        {
            query.Add($"target_user={targetUser}");
            query.Add($"target_password={targetSecret}");
        }

        if (headerDigest)
        {
            query.Add("header_digest=crc32c");
        }

        var suffix = query.Count == 0 ? string.Empty : "?" + string.Join('&', query);
        return $"{Portal(host, port, user, secret)}/{iqn}/{lun}{suffix}";
    }

    // libiscsi splits user and secret at '%' and ends them at '@'; it does not percent-decode.
    private static string Credentials(string? user, string? secret) =>
        user is null ? string.Empty : secret is null ? $"{user}@" : $"{user}%{secret}@";
}
