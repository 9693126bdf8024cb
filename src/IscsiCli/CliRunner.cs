using Iscsi;
using Iscsi.Scsi;
using Iscsi.Session;

namespace IscsiCli;

/// <summary>Runs one command body: maps every failure to one stderr line and a stable exit code.</summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(TextWriter stderr, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IscsiException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            // One line, whatever the message quotes: a target's text (a redirect address, a name) may hold CR, LF or ESC.
            await stderr.WriteLineAsync($"iscsi: error {ExitCodes.ErrorId(ex)}: {TextSafety.Printable(ex.Message)}").ConfigureAwait(false);
            if (ex is ScsiCommandException { Result.Sense: { } sense })
                await stderr.WriteLineAsync($"iscsi: sense {TextSafety.Printable(ScsiOutcomeText.Sense(sense))}").ConfigureAwait(false);
            return ExitCodes.For(ex);
        }
    }

    /// <summary>Parses a URL that must name a target and a LUN.</summary>
    public static IscsiUrl ParseLunUrl(string text)
    {
        var url = IscsiUrl.Parse(text);
        if (url.TargetName is null || url.Lun is null)
            throw new IscsiArgumentException("UrlNeedsLun",
                $"The URL '{IscsiUrl.Redact(text)}' must name a target and a LUN: iscsi://host[:port]/target-iqn/lun.");
        return url;
    }

    /// <summary>Parses a URL that must name a target (LUN optional).</summary>
    public static IscsiUrl ParseTargetUrl(string text)
    {
        var url = IscsiUrl.Parse(text);
        if (url.TargetName is null)
            throw new IscsiArgumentException("UrlNeedsTarget",
                $"The URL '{IscsiUrl.Redact(text)}' must name a target: iscsi://host[:port]/target-iqn[/lun].");
        return url;
    }

    /// <summary>Logs in, and tells stderr what the login warned about (MD5 CHAP, a short secret...): an admin
    /// who never sees those warnings cannot act on them. They name users and lengths, never a secret.</summary>
    public static async Task<IscsiSession> ConnectAsync(IscsiUrl url, IscsiSessionOptions options, CancellationToken ct)
    {
        var session = await IscsiSession.ConnectAsync(url.Host, url.Port, url.TargetName!, options, ct).ConfigureAwait(false);
        foreach (var warning in session.Warnings)
            await Console.Error.WriteLineAsync($"iscsi: warning: {TextSafety.Printable(warning)}").ConfigureAwait(false);
        return session;
    }

    /// <summary>Throws ScsiCommandException when a result is not GOOD.</summary>
    public static ScsiResult EnsureGood(ScsiResult result, string what)
    {
        if (result.IsGood) return result;
        throw new ScsiCommandException(result, $"{what} failed: {ScsiOutcomeText.Describe(result)}.");
    }
}
