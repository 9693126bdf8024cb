namespace IscsiModule.Logic;

/// <summary>What the argument completers offer, from the session cache.</summary>
public static class CompletionCandidates
{
    public static IReadOnlyList<string> SessionIdentifiers(SessionCache cache, string? wordToComplete)
        => Matching(cache.Sessions.Select(s => s.SessionIdentifier), wordToComplete);

    public static IReadOnlyList<string> NodeAddresses(SessionCache cache, string? wordToComplete)
        => Matching(cache.Sessions.Select(s => s.NodeAddress), wordToComplete);

    private static IReadOnlyList<string> Matching(IEnumerable<string> values, string? word)
    {
        string prefix = (word ?? "").Trim('\'', '"');
        return values.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }
}
