using System.Text;

namespace Iscsi;

/// <summary>A CHAP name and secret. The secret never appears in ToString, messages or logs.</summary>
public sealed class ChapCredential
{
    public ChapCredential(string userName, string secret)
    {
        if (string.IsNullOrEmpty(userName))
            throw new IscsiArgumentException("ChapUserNameEmpty", "The CHAP user name is empty.");
        // The name travels as CHAP_N, a text value (no NUL, no longer than the text layer sends); refuse it here
        // rather than halfway through a login. The secret never travels, so only emptiness is refused: short ones
        // are warned about at login (LoginWarnings), and RFC 7143 sets no upper bound.
        int nameBytes = Encoding.UTF8.GetByteCount(userName);
        if (nameBytes > MaxUserNameBytes || userName.Contains('\0'))
            throw new IscsiArgumentException("ChapUserNameInvalid",
                $"The CHAP user name '{TextSafety.Printable(userName, MaxQuoted)}' cannot be sent as CHAP_N: " +
                (nameBytes > MaxUserNameBytes ? $"it is {nameBytes} bytes, at most {MaxUserNameBytes} are allowed." : "it contains a NUL character."));
        if (string.IsNullOrEmpty(secret))
            throw new IscsiArgumentException("ChapSecretEmpty", $"The CHAP secret for user '{TextSafety.Printable(userName, MaxQuoted)}' is empty.");
        UserName = userName;
        Secret = secret;
    }

    /// <summary>The longest CHAP_N value the login text layer sends, in UTF-8 bytes.</summary>
    public const int MaxUserNameBytes = Login.TextKeyValues.MaxValueLength;

    public string UserName { get; }

    /// <summary>The secret. Internal so that it is not enumerated by formatters or serialisers.</summary>
    internal string Secret { get; }

    public override string ToString() => $"{TextSafety.Printable(UserName)} (secret hidden)";

    /// <summary>True when both are null, or both have the same user name and the same secret (compared in constant
    /// time). Lets a caller decide whether an existing login was made with these credentials without seeing them.</summary>
    public static bool AreSame(ChapCredential? a, ChapCredential? b)
    {
        if (a is null || b is null) return a is null && b is null;
        bool sameSecret = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(a.Secret), Encoding.UTF8.GetBytes(b.Secret));
        return sameSecret && string.Equals(a.UserName, b.UserName, StringComparison.Ordinal);
    }

    // A user name quoted in a message (it may be the 8 KiB that was refused).
    private const int MaxQuoted = 64;
}
