using System.CommandLine;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi inquiry &lt;url&gt; [--page N]`: standard INQUIRY, or a decoded VPD page.</summary>
public static class InquiryCommand
{
    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var page = new Option<string?>("--page", "-p") { Description = "VPD page (0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2, or any other as hex)." };
        var command = new Command("inquiry", "Show standard INQUIRY data or a VPD page.") { url, page };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            byte? vpd = parse.GetValue(page) is { } text ? ParsePage(text) : null;
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            int lun = target.Lun!.Value;
            var o = Console.Out;
            if (vpd is null)
            {
                var d = await session.InquiryAsync(lun, ct).ConfigureAwait(false);
                o.WriteLine($"PeripheralQualifier: {d.PeripheralQualifier}");
                o.WriteLine($"DeviceType:          {d.DeviceType.Describe()} (0x{(byte)d.DeviceType:X2})");
                o.WriteLine($"Removable:           {d.Removable}");
                o.WriteLine($"Version:             0x{d.Version:X2}");
                o.WriteLine($"ResponseDataFormat:  {d.ResponseDataFormat}");
                o.WriteLine($"HiSup:               {d.HiSup}");
                o.WriteLine($"Tpgs:                {d.Tpgs}");
                o.WriteLine($"Protect:             {d.Protect}");
                o.WriteLine($"Cmdque:              {d.Cmdque}");
                o.WriteLine($"VendorId:            {TextSafety.Printable(d.VendorId)}");
                o.WriteLine($"ProductId:           {TextSafety.Printable(d.ProductId)}");
                o.WriteLine($"ProductRevision:     {TextSafety.Printable(d.ProductRevision)}");
                return ExitCodes.Success;
            }
            switch (vpd.Value)
            {
                case 0x00:
                    var pages = await session.GetSupportedVpdPagesAsync(lun, ct).ConfigureAwait(false);
                    foreach (var p in pages.Pages) o.WriteLine($"0x{p:X2}");
                    break;
                case 0x80:
                    o.WriteLine($"UnitSerialNumber: {TextSafety.Printable((await session.GetUnitSerialNumberAsync(lun, ct).ConfigureAwait(false)).SerialNumber)}");
                    break;
                case 0x83:
                    foreach (var d in (await session.GetDeviceIdentificationAsync(lun, ct).ConfigureAwait(false)).Designators)
                        o.WriteLine($"{d.Association} {d.DesignatorType} {d.CodeSet}: {TextSafety.Printable(d.Display)}");
                    break;
                case 0xB0:
                    WriteProperties(o, await session.GetBlockLimitsAsync(lun, ct).ConfigureAwait(false));
                    break;
                case 0xB1:
                    WriteProperties(o, await session.GetBlockDeviceCharacteristicsAsync(lun, ct).ConfigureAwait(false));
                    break;
                case 0xB2:
                    WriteProperties(o, await session.GetLogicalBlockProvisioningAsync(lun, ct).ConfigureAwait(false));
                    break;
                default:
                    HexDump.Write(o, await session.InquiryVpdAsync(lun, vpd.Value, ct).ConfigureAwait(false));
                    break;
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static byte ParsePage(string text)
    {
        string t = text.Trim();
        bool hex = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex) t = t[2..];
        if (byte.TryParse(t, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out byte page))
            return page;
        throw new IscsiArgumentException("VpdPageInvalid", $"--page '{text}' is not a page number from 0 to 255 (decimal, or hex as 0xNN).");
    }

    private static void WriteProperties(TextWriter o, object value)
    {
        var props = value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0).ToArray();
        int width = props.Max(p => p.Name.Length) + 2;
        foreach (var p in props)
            o.WriteLine($"{(p.Name + ":").PadRight(width)}{TextSafety.Printable(p.GetValue(value)?.ToString())}");
    }
}
