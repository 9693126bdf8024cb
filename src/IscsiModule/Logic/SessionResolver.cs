using Iscsi;

namespace IscsiModule.Logic;

/// <summary>Turns what a cmdlet was given (a session object, an identifier or a target name) into cached sessions.</summary>
public static class SessionResolver
{
    /// <summary>Exactly one of the three must be set (the cmdlet's parameter sets see to that).</summary>
    public static IReadOnlyList<IscsiSessionInfo> Resolve(SessionCache cache, IscsiSessionInfo? session,
        string? sessionIdentifier, string? nodeAddress)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (session is not null) return [session];
        if (sessionIdentifier is not null) return [cache.Get(sessionIdentifier)];
        if (nodeAddress is not null) return cache.GetByNodeAddress(nodeAddress);
        throw new IscsiArgumentException("SessionRequired", "Give a session: -Session, -SessionIdentifier or -NodeAddress.");
    }

    /// <summary>The one session a command will run on, connected.</summary>
    public static IscsiSessionInfo ResolveOne(SessionCache cache, IscsiSessionInfo? session, string? sessionIdentifier)
    {
        var found = Resolve(cache, session, sessionIdentifier, null);
        return SessionCache.RequireConnected(found[0]);
    }
}
