using System.CommandLine;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi luns &lt;url&gt;`: REPORT LUNS, then INQUIRY and READ CAPACITY of each LUN.</summary>
public static class LunsCommand
{
    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn" };
        var command = new Command("luns", "List a target's LUNs with device type, vendor, product and size.") { url };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseTargetUrl(parse.GetValue(url)!);
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            var o = Console.Out;
            o.WriteLine($"{"Lun",-4} {"Type",-28} {"Vendor",-8} {"Product",-16} {"BlockSize",9} {"Blocks",14} {"Size",10}");
            foreach (int lun in await session.ReportLunsAsync(ct).ConfigureAwait(false))
            {
                var inquiry = await session.InquiryAsync(lun, ct).ConfigureAwait(false);
                string blockSize = "", blocks = "", size = "";
                if (inquiry.DeviceType is PeripheralDeviceType.DirectAccessBlock)
                {
                    try
                    {
                        var c = await session.ReadCapacityAsync(lun, ct).ConfigureAwait(false);
                        (blockSize, blocks, size) = (c.BlockSize.ToString(), c.BlockCount.ToString(), Units.Bytes(c.SizeBytes));
                    }
                    catch (ScsiCommandException ex)
                    {
                        size = ex.Result.Sense?.SenseKey.ToString() ?? ex.Result.Status.ToString();
                    }
                }
                o.WriteLine($"{lun,-4} {inquiry.DeviceType.Describe(),-28} {TextSafety.Printable(inquiry.VendorId),-8} {TextSafety.Printable(inquiry.ProductId),-16} {blockSize,9} {blocks,14} {size,10}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
