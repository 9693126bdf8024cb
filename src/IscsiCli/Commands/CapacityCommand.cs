using System.CommandLine;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi capacity &lt;url&gt;`: READ CAPACITY(16) (falling back to (10)).</summary>
public static class CapacityCommand
{
    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var command = new Command("capacity", "Show a LUN's block size, block count and size.") { url };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            var c = await session.ReadCapacityAsync(target.Lun!.Value, ct).ConfigureAwait(false);
            var o = Console.Out;
            o.WriteLine($"BlockSize:       {c.BlockSize}");
            o.WriteLine($"BlockCount:      {c.BlockCount}");
            o.WriteLine($"LastLba:         {c.LastLba}");
            o.WriteLine($"SizeBytes:       {c.SizeBytes}");
            o.WriteLine($"Size:            {Units.Bytes(c.SizeBytes)}");
            o.WriteLine($"PhysicalBlock:   {c.PhysicalBlockSize}");
            o.WriteLine($"ThinProvisioned: {c.ThinProvisioned}");
            o.WriteLine($"ProtectionType:  {c.ProtectionType}");
            o.WriteLine($"Source:          {c.Source}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
