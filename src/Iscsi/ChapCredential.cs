namespace Iscsi;

/// <summary>A CHAP name and secret. The secret never appears in ToString, messages or logs.</summary>
public sealed class ChapCredential
{
    public ChapCredential(string userName, string secret)
    {
        if (string.IsNullOrEmpty(userName))
            throw new IscsiArgumentException("ChapUserNameEmpty", "The CHAP user name is empty.");
        if (string.IsNullOrEmpty(secret))
            throw new IscsiArgumentException("ChapSecretEmpty", $"The CHAP secret for user '{userName}' is empty.");
        UserName = userName;
        Secret = secret;
    }

    public string UserName { get; }

    /// <summary>The secret. Internal so that it is not enumerated by formatters or serialisers.</summary>
    internal string Secret { get; }

    public override string ToString() => $"{UserName} (secret hidden)";
}
