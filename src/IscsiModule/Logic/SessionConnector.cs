using Iscsi;
using Iscsi.Session;

namespace IscsiModule.Logic;

/// <summary>Connect-IscsiTarget / Disconnect-IscsiTarget behind the cmdlets: reuse or log in, log out and forget.</summary>
public static class SessionConnector
{
    /// <summary>The cached session Connect-IscsiTarget hands out again instead of logging in, unless
    /// <see cref="ConnectPlan.New"/>: same target and portal, and made with what the plan asks for where it matters.
    /// Credentials must match (a wrong secret must not be answered with someone's existing session), and so must the
    /// digests asked for and the initiator name (the target grants access by name).</summary>
    public static IscsiSessionInfo? FindReusable(SessionCache cache, ConnectPlan plan)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(plan);
        return plan.New ? null : cache.FindReusable(plan.Host, plan.Port, plan.NodeAddress, existing => Fits(existing, plan));
    }

    private static bool Fits(IscsiSessionInfo existing, ConnectPlan plan)
    {
        var made = existing.Session.Options;
        var wanted = plan.Options;
        return existing.AuthenticationType == plan.AuthenticationType
            && ChapCredential.AreSame(made.Chap, wanted.Chap)
            && ChapCredential.AreSame(made.TargetChap, wanted.TargetChap)
            && made.HeaderDigest == wanted.HeaderDigest
            && made.DataDigest == wanted.DataDigest
            && (wanted.InitiatorName is null || string.Equals(existing.InitiatorNodeAddress, wanted.InitiatorName, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Logs in as the plan says. The session is not cached yet: the caller caches it once it has told the user
    /// what it must (login warnings), and logs it out if that fails, so that a failed Connect leaves nothing behind.</summary>
    public static Task<IscsiSession> LoginAsync(ConnectPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return IscsiSession.ConnectAsync(plan.Host, plan.Port, plan.NodeAddress, plan.Options, cancellationToken);
    }

    /// <summary>Reuses or logs in and caches, in one call: for callers that have nothing to tell the user between the
    /// login and the caching.</summary>
    public static async Task<IscsiSessionInfo> ConnectAsync(SessionCache cache, ConnectPlan plan, CancellationToken cancellationToken)
        => FindReusable(cache, plan) ?? cache.Add(await LoginAsync(plan, cancellationToken).ConfigureAwait(false), plan.AuthenticationType);

    /// <summary>Ends a session that was never handed out (the caller failed after the login): log out, bounded.</summary>
    public static void Abandon(IscsiSession session, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            Task.Run(async () =>
            {
                try { await session.LogoutAsync(cts.Token).ConfigureAwait(false); }
                finally { await session.DisposeAsync().ConfigureAwait(false); }
            }).Wait(timeout);
        }
        catch (AggregateException)
        {
            // The logout failed: the session is disposed (its connection closed) all the same.
        }
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

    /// <summary>Logs every cached session out (the module's last unload). Failures are swallowed: there is nobody left
    /// to tell, and one dead target must not keep the others logged in. Bounded by <paramref name="timeout"/>.</summary>
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
