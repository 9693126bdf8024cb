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

    /// <summary>The session options of the command line and its URL. A secret in the URL is taken, with one line on
    /// stderr saying how to keep it out of the process list.</summary>
    public IscsiSessionOptions Build(ParseResult parse, IscsiUrl? url)
    {
        if (url is not null && SecretWarning(url) is { } warning)
            Console.Error.WriteLine($"iscsi: warning: {warning}");
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

    /// <summary>Null when the URL carries no secret; else why that is unwise and what to use instead (the options,
    /// never the secret).</summary>
    internal static string? SecretWarning(IscsiUrl url)
    {
        if (url.Chap is null && url.TargetChap is null) return null;
        string what = url.TargetChap is null ? "a CHAP secret" : "CHAP secrets";
        string mutual = url.TargetChap is null ? "" : ", and --target-user NAME with $ISCSI_TARGET_SECRET for target_password";
        return $"the URL carries {what}, which other users of this machine can read in the process list; " +
               $"use --chap-user NAME with the secret in $ISCSI_CHAP_SECRET{mutual}.";
    }
}
