using System.Text;

namespace Iscsi.Tests.Module;

/// <summary>The shapes a leaked secret could take in text: as typed, as hex of its UTF-8 bytes (either case, as
/// CHAP_R-style 0x values are written), and as base64 ("0b" values).</summary>
internal static class SecretForms
{
    public static IEnumerable<string> Of(string secret)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(secret);
        yield return secret;
        yield return Convert.ToHexString(bytes);
        yield return Convert.ToHexString(bytes).ToLowerInvariant();
        yield return Convert.ToBase64String(bytes).TrimEnd('=');
    }

    /// <summary>Every text that contains any form of any secret, with the form found (for the failure message).</summary>
    public static List<string> Leaks(IEnumerable<string> texts, IEnumerable<string> secrets)
    {
        var forms = secrets.SelectMany(s => Of(s).Select(f => (Secret: s, Form: f))).ToList();
        var leaks = new List<string>();
        foreach (var text in texts)
            foreach (var (secret, form) in forms)
                if (text.Contains(form, StringComparison.OrdinalIgnoreCase))
                    leaks.Add($"'{form}' (a form of a secret) in: {(text.Length > 300 ? text[..300] + "..." : text)}");
        return leaks;
    }
}
