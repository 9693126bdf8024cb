namespace IscsiModule.Logic;

/// <summary>One tab-completion candidate: what is inserted, what the menu shows, and the tooltip.</summary>
public sealed record CompletionCandidate(string Text, string ListItem, string ToolTip);

/// <summary>What the argument completers offer: from the session cache, the remembered portals and the targets the
/// last discoveries found. Never the file system: none of these parameters names a file.</summary>
public static class CompletionCandidates
{
    /// <summary>Cached sessions, each with its target and portal in the menu and the tooltip.</summary>
    public static IReadOnlyList<CompletionCandidate> SessionIdentifiers(SessionCache cache, string? wordToComplete)
    {
        ArgumentNullException.ThrowIfNull(cache);
        string prefix = Unquoted(wordToComplete);
        return cache.Sessions
            .Where(s => s.SessionIdentifier.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.SessionIdentifier, StringComparer.OrdinalIgnoreCase)
            .Select(s => new CompletionCandidate(s.SessionIdentifier, $"{s.SessionIdentifier} ({s.NodeAddress})",
                $"{s.NodeAddress} at {s.TargetPortalAddress}:{s.TargetPortalPortNumber}, {s.State}, {s.AuthenticationType}"))
            .ToArray();
    }

    /// <summary>Targets of the cached sessions and of the last discoveries.</summary>
    public static IReadOnlyList<CompletionCandidate> NodeAddresses(SessionCache cache, string? wordToComplete)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var sessions = cache.Sessions.Select(s => (s.NodeAddress, Where: $"{s.TargetPortalAddress}:{s.TargetPortalPortNumber}, session {s.SessionIdentifier}"));
        var discovered = cache.DiscoveredTargets.Select(t => (t.NodeAddress, Where: $"{t.TargetPortalAddress}:{t.TargetPortalPortNumber}, discovered"));
        return Matching(sessions.Concat(discovered), wordToComplete);
    }

    /// <summary>Remembered portals, the portals of cached sessions and of discovered targets.</summary>
    public static IReadOnlyList<CompletionCandidate> PortalAddresses(SessionCache cache, string? wordToComplete)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var portals = cache.Portals.Select(p => (p.TargetPortalAddress, Where: $"remembered portal, port {p.TargetPortalPortNumber}"));
        var sessions = cache.Sessions.Select(s => (s.TargetPortalAddress, Where: $"port {s.TargetPortalPortNumber}, session {s.SessionIdentifier}"));
        var discovered = cache.DiscoveredTargets.SelectMany(t => t.Portals).Select(p => (p.Address, Where: $"port {p.Port}, discovered"));
        return Matching(portals.Concat(sessions).Concat(discovered), wordToComplete);
    }

    /// <summary>The LUNs of a session, as its target last reported them.</summary>
    public static IReadOnlyList<CompletionCandidate> Luns(IReadOnlyList<int> luns, string? wordToComplete, string nodeAddress)
    {
        ArgumentNullException.ThrowIfNull(luns);
        string prefix = Unquoted(wordToComplete);
        return luns.Distinct().Order()
            .Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => new CompletionCandidate(l, l, $"LUN {l} of {nodeAddress}"))
            .ToArray();
    }

    private static IReadOnlyList<CompletionCandidate> Matching(IEnumerable<(string Value, string Where)> values, string? word)
    {
        string prefix = Unquoted(word);
        return values.Where(v => v.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .GroupBy(v => v.Value, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new CompletionCandidate(g.Key, g.Key, string.Join("; ", g.Select(v => v.Where).Distinct())))
            .ToArray();
    }

    private static string Unquoted(string? word) => (word ?? "").Trim('\'', '"');
}
