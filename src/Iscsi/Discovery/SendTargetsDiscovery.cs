using Iscsi.Login;
using Iscsi.Session;

namespace Iscsi.Discovery;

/// <summary>SendTargets discovery (RFC 7143 appendix C): log in a discovery session, ask for every target
/// and its portals, log out.</summary>
public static class SendTargetsDiscovery
{
    /// <summary>Returns every target the portal reports, each with all its portals and TPGTs. A target listed
    /// without a TargetAddress is reachable through the portal that was asked (RFC 7143 C.1).</summary>
    public static async Task<IReadOnlyList<DiscoveredTarget>> DiscoverAsync(string host, int port,
        IscsiSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var session = await IscsiSession.OpenAsync(host, port, SessionType.Discovery, null, options, cancellationToken)
            .ConfigureAwait(false);
        var request = new TextKeyValues();
        request.Add("SendTargets", "All");
        var answer = await session.TextExchangeAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(answer, new TargetPortal(host, port, session.Negotiated.TargetPortalGroupTag));
    }

    /// <summary>Groups "TargetName=..." followed by its "TargetAddress=..." keys into targets.</summary>
    public static IReadOnlyList<DiscoveredTarget> Parse(TextKeyValues answer, TargetPortal askedPortal)
    {
        var targets = new List<DiscoveredTarget>();
        string? name = null;
        List<TargetPortal> portals = [];
        void Flush()
        {
            if (name is null) return;
            targets.Add(new DiscoveredTarget { NodeAddress = name, Portals = portals.Count > 0 ? portals : [askedPortal] });
        }
        foreach (var (key, value) in answer.Pairs)
        {
            if (key == "TargetName")
            {
                Flush();
                name = value;
                portals = [];
            }
            else if (key == "TargetAddress")
            {
                if (name is null)
                    throw new IscsiProtocolException($"SendTargets answered TargetAddress '{TextSafety.Printable(value)}' before any TargetName.", "SendTargetsMalformed");
                portals.Add(PortalAddress.Parse(value, askedPortal.Port));
            }
        }
        Flush();
        return targets;
    }
}
