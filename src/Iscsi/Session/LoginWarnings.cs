using System.Text;

namespace Iscsi.Session;

/// <summary>Things about a successful login an admin should hear about (RFC 7143 12.1.3 and 9.2 advice).
/// Never contains a secret: only lengths and names.</summary>
internal static class LoginWarnings
{
    // RFC 7143 12.1.3: CHAP secrets should be at least 96 bits (12 bytes) long.
    public const int RecommendedSecretBytes = 12;

    public static IReadOnlyList<string> For(IscsiSessionOptions options, NegotiatedParameters negotiated)
    {
        var warnings = new List<string>();
        // A caller with a LoginWarning callback heard it during the login already.
        if (negotiated.ChapAlgorithm == "MD5" && options.LoginWarning is null)
            warnings.Add(Login.SecurityNegotiation.Md5Warning);
        AddShortSecret(warnings, options.Chap, "initiator");
        AddShortSecret(warnings, options.TargetChap, "target (mutual CHAP)");
        return warnings;
    }

    /// <summary>What the login did that an admin may want to know but need not act on (no secrets).</summary>
    public static IReadOnlyList<string> Notes(bool sha256Dropped)
        => sha256Dropped
            ? ["The target answered CHAP_A=7 (SHA-256) but refused a correct SHA-256 response (tgtd numbers SHA-1 as 7), so the login was repeated without offering SHA-256."]
            : [];

    private static void AddShortSecret(List<string> warnings, ChapCredential? credential, string role)
    {
        if (credential is null) return;
        int bytes = Encoding.UTF8.GetByteCount(credential.Secret);
        if (bytes < RecommendedSecretBytes)
            warnings.Add($"The {role} CHAP secret for user '{credential.UserName}' is {bytes} bytes; RFC 7143 recommends at least {RecommendedSecretBytes} (96 bits).");
    }
}
