using System.CommandLine;
using Iscsi;

namespace IscsiCli;

/// <summary>The options every command that logs in shares, and how they become session options.
/// Secrets come from the URL (libiscsi's form) or, better, from the environment variables
/// ISCSI_CHAP_SECRET / ISCSI_TARGET_SECRET so that they do not show in the process list.</summary>
public sealed class SessionOptionsBinder
{
    public Option<string?> InitiatorName { get; } = new("--initiator-name", "-i") { Description = "Our iSCSI name (default iqn.2026-11.<reversed host>:iscsimodule)." };
    public Option<string?> ChapUser { get; } = new("--chap-user") { Description = "CHAP user name (secret from $ISCSI_CHAP_SECRET or the URL)." };
    public Option<string?> TargetUser { get; } = new("--target-user") { Description = "Mutual CHAP: the name the target must answer with (secret from $ISCSI_TARGET_SECRET)." };
    public Option<bool> HeaderDigest { get; } = new("--header-digest") { Description = "Ask for CRC32C header digests." };
    public Option<bool> DataDigest { get; } = new("--data-digest") { Description = "Ask for CRC32C data digests." };
    public Option<double> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for connect, login and each command.", DefaultValueFactory = _ => 30 };

    public void AddTo(Command command)
    {
        command.Options.Add(InitiatorName);
        command.Options.Add(ChapUser);
        command.Options.Add(TargetUser);
        command.Options.Add(HeaderDigest);
        command.Options.Add(DataDigest);
        command.Options.Add(Timeout);
    }

    public IscsiSessionOptions Build(ParseResult parse, IscsiUrl? url)
    {
        double seconds = parse.GetValue(Timeout);
        if (!(seconds > 0) || seconds > 86400)
            throw new IscsiArgumentException("TimeoutInvalid", $"--timeout {seconds} must be a number of seconds above 0 and at most 86400.");
        var timeout = TimeSpan.FromSeconds(seconds);
        var options = new IscsiSessionOptions
        {
            ConnectTimeout = timeout,
            LoginTimeout = timeout,
            CommandTimeout = timeout,
            HeaderDigest = parse.GetValue(HeaderDigest),
            DataDigest = parse.GetValue(DataDigest),
            InitiatorName = parse.GetValue(InitiatorName),
        };
        if (parse.GetValue(ChapUser) is { } user)
        {
            string secret = Environment.GetEnvironmentVariable("ISCSI_CHAP_SECRET")
                ?? throw new IscsiArgumentException("ChapSecretMissing", $"--chap-user '{user}' needs the secret in $ISCSI_CHAP_SECRET (or use iscsi://user%secret@...).");
            options.Chap = new ChapCredential(user, secret);
        }
        if (parse.GetValue(TargetUser) is { } targetUser)
        {
            string secret = Environment.GetEnvironmentVariable("ISCSI_TARGET_SECRET")
                ?? throw new IscsiArgumentException("TargetSecretMissing", $"--target-user '{targetUser}' needs the secret in $ISCSI_TARGET_SECRET (or use ?target_user=..&target_password=..).");
            options.TargetChap = new ChapCredential(targetUser, secret);
        }
        return url is null ? options : url.ToOptions(options);
    }
}
