using Iscsi;
using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>Connect-IscsiTarget / Disconnect-IscsiTarget behind the cmdlets: reuse or log in, log out and forget.</summary>
public static class SessionConnector
{
    /// <summary>The cached session to the same target and portal, made with the same credentials, unless
    /// <see cref="ConnectPlan.New"/>; otherwise a new login, cached. Credentials must match: a wrong secret must not
    /// be answered with someone's existing session.</summary>
    public static async Task<IscsiSessionInfo> ConnectAsync(SessionCache cache, ConnectPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.New && cache.FindReusable(plan.Host, plan.Port, plan.NodeAddress) is { } existing && SameCredentials(existing, plan))
            return existing;
        var session = await IscsiSession.ConnectAsync(plan.Host, plan.Port, plan.NodeAddress, plan.Options, cancellationToken)
            .ConfigureAwait(false);
        return cache.Add(session, plan.AuthenticationType);
    }

    private static bool SameCredentials(IscsiSessionInfo existing, ConnectPlan plan)
    {
        var made = existing.Session.Options;
        return existing.AuthenticationType == plan.AuthenticationType
            && ChapCredential.AreSame(made.Chap, plan.Options.Chap)
            && ChapCredential.AreSame(made.TargetChap, plan.Options.TargetChap);
    }

    /// <summary>Forgets the session first (so nobody picks it up while it goes), then logs out; a session
    /// whose connection already broke is just disposed. A failing logout still leaves it disposed and forgotten.</summary>
    public static async Task DisconnectAsync(SessionCache cache, IscsiSessionInfo session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(session);
        cache.Remove(session);
        try
        {
            if (session.State != Iscsi.Session.SessionState.Closed) // a reconnecting session stops trying and closes
                await session.Session.LogoutAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.Session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Logs every cached session out (module removal). Failures are swallowed: there is nobody left to tell,
    /// and one dead target must not keep the others logged in. Bounded by <paramref name="timeout"/>.</summary>
    public static void LogoutAll(SessionCache cache, TimeSpan timeout)
    {
        var sessions = cache.TakeAll();
        if (sessions.Count == 0) return;
        using var cts = new CancellationTokenSource(timeout);
        var logouts = sessions.Select(async s =>
        {
            try { await DisconnectAsync(cache, s, cts.Token).ConfigureAwait(false); }
            catch (Exception ex) when (ex is IscsiException or OperationCanceledException or ObjectDisposedException) { }
        }).ToArray();
        Task.WaitAll(logouts, timeout);
    }
}
