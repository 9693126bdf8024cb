using System.Text;

namespace Iscsi.Session;

/// <summary>Things about a successful login an admin should hear about (RFC 7143 12.1.3 and 9.2 advice).
/// Never contains a secret: only lengths and names.</summary>
internal static class LoginWarnings
{
    // RFC 7143 12.1.3: CHAP secrets should be at least 96 bits (12 bytes) long.
    public const int RecommendedSecretBytes = 12;

    public static IReadOnlyList<string> For(IscsiSessionOptions options, NegotiatedParameters negotiated, bool sha256Dropped)
    {
        var warnings = new List<string>();
        // One warning per login: after the tgtd fallback the MD5 that follows is part of the same story.
        if (sha256Dropped)
            warnings.Add($"The target answered CHAP_A=7 (SHA-256) but refused a correct SHA-256 response (tgtd numbers SHA-1 as 7), so the login was repeated without SHA-256 and used {negotiated.ChapAlgorithm ?? "another digest"}"
                + (negotiated.ChapAlgorithm == "MD5" ? ", which resists offline guessing poorly: use long random secrets." : "."));
        else if (negotiated.ChapAlgorithm == "MD5")
            warnings.Add("CHAP used MD5: the target offered nothing stronger. MD5 CHAP resists offline guessing poorly; use long random secrets or a target that supports SHA-256.");
        AddShortSecret(warnings, options.Chap, "initiator");
        AddShortSecret(warnings, options.TargetChap, "target (mutual CHAP)");
        return warnings;
    }

    private static void AddShortSecret(List<string> warnings, ChapCredential? credential, string role)
    {
        if (credential is null) return;
        int bytes = Encoding.UTF8.GetByteCount(credential.Secret);
        if (bytes < RecommendedSecretBytes)
            warnings.Add($"The {role} CHAP secret for user '{credential.UserName}' is {bytes} bytes; RFC 7143 recommends at least {RecommendedSecretBytes} (96 bits).");
    }
}
