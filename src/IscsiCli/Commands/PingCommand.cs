using System.CommandLine;

namespace IscsiCli.Commands;

/// <summary>`iscsi ping &lt;url&gt; [--count N]`: NOP-Out round trips, like ping.</summary>
public static class PingCommand
{
    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn" };
        var count = new Option<int>("--count", "-c") { Description = "Number of pings.", DefaultValueFactory = _ => 4 };
        var command = new Command("ping", "Send NOP-Out pings and print round-trip times.") { url, count };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseTargetUrl(parse.GetValue(url)!);
            int n = parse.GetValue(count);
            if (n is < 1 or > 100000)
                throw new Iscsi.IscsiArgumentException("CountInvalid", $"--count {n} must be from 1 to 100000.");
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            for (int i = 0; i < n; i++)
            {
                var rtt = await session.PingAsync(ct).ConfigureAwait(false);
                Console.Out.WriteLine($"reply from {Iscsi.TextSafety.Printable(session.TargetName)}: time={rtt.TotalMilliseconds:0.000} ms");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
