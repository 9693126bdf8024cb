using System.CommandLine;
using Iscsi;
using Iscsi.Discovery;

namespace IscsiCli.Commands;

/// <summary>`iscsi discover &lt;portal&gt;`: SendTargets, one line per target portal: "iqn host:port,tpgt".</summary>
public static class DiscoverCommand
{
    public static Command Create(SessionOptionsBinder common)
    {
        var portal = new Argument<string>("portal") { Description = "host[:port] or iscsi://[user%secret@]host[:port]" };
        var command = new Command("discover", "List the targets a portal offers (SendTargets=All).") { portal };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var url = IscsiUrl.Parse(ToUrl(parse.GetValue(portal)!));
            var options = common.Build(parse, url);
            var targets = await SendTargetsDiscovery.DiscoverAsync(url.Host, url.Port, options, ct).ConfigureAwait(false);
            foreach (var target in targets)
                foreach (var p in target.Portals)
                    Console.Out.WriteLine($"{TextSafety.Printable(target.NodeAddress)} {TextSafety.Printable(p.ToString())}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>host[:port] becomes a URL; anything with a scheme of its own, mistyped ("iscs://", "iscsi:/")
    /// included, is left for the parser to refuse rather than read as a user name before "iscsi://".</summary>
    private static string ToUrl(string portal)
        => portal.Contains("://", StringComparison.Ordinal) || portal.StartsWith("iscsi:", StringComparison.OrdinalIgnoreCase)
            ? portal
            : IscsiUrl.Scheme + portal;
}
