using System.CommandLine;
using Iscsi;
using Iscsi.Login;

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
    public Option<double> ReconnectTimeout { get; } = new("--reconnect-timeout")
    {
        Description = "Seconds an outage may last: after a lost connection the session logs in again (backing off, a last try at the end) for this long; 0: never reconnect.",
        DefaultValueFactory = _ => IscsiSessionOptions.DefaultReconnectTimeout.TotalSeconds,
    };
    public Option<double> Keepalive { get; } = new("--keepalive")
    {
        Description = "Seconds of silence after which the connection is checked with a NOP-Out ping (answer within the same time, or it counts as lost); 0: off.",
        DefaultValueFactory = _ => 5,
    };
    public Option<string?> ChapAlgorithms { get; } = new("--chap-algorithms")
    {
        Description = "CHAP digests to offer, strongest first, e.g. sha256,sha1 (default sha3-256,sha256,sha1,md5; leave md5 out to refuse it).",
    };
    public Option<string[]> Portals { get; } = new("--portal")
    {
        Description = "Another portal of the target (host[:port][,tpgt]) to fail over to when the current one stops answering; repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(InitiatorName);
        command.Options.Add(ChapUser);
        command.Options.Add(TargetUser);
        command.Options.Add(HeaderDigest);
        command.Options.Add(DataDigest);
        command.Options.Add(Timeout);
        command.Options.Add(ReconnectTimeout);
        command.Options.Add(Keepalive);
        command.Options.Add(ChapAlgorithms);
        command.Options.Add(Portals);
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
            // Said at once, on stderr: the user should not learn of an MD5 login only after it is over.
            LoginWarning = warning => Console.Error.WriteLine($"iscsi: warning: {warning}"),
        };
        double reconnect = parse.GetValue(ReconnectTimeout);
        if (!(reconnect >= 0) || reconnect > 86400)
            throw new IscsiArgumentException("ReconnectTimeoutInvalid", $"--reconnect-timeout {reconnect} must be a number of seconds from 0 (never reconnect) to 86400.");
        if (reconnect == 0) options.ReconnectAttempts = 0;
        else options.ReconnectTimeout = TimeSpan.FromSeconds(reconnect);
        double keepalive = parse.GetValue(Keepalive);
        if (!(keepalive >= 0) || keepalive > 86400)
            throw new IscsiArgumentException("KeepaliveInvalid", $"--keepalive {keepalive} must be a number of seconds from 0 (off) to 86400.");
        options.KeepaliveInterval = options.KeepaliveTimeout = TimeSpan.FromSeconds(keepalive);
        if (parse.GetValue(ChapAlgorithms) is { } algorithms) options.ChapAlgorithms = ChapAlgorithmNames.ParseList(algorithms);
        if (parse.GetValue(Portals) is { Length: > 0 } portals)
            options.AlternatePortals = portals.Select(p => Iscsi.Discovery.PortalAddress.ParseGiven(p)).ToArray();
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
