using System.Text;
using Iscsi.Pdu;
using Iscsi.Tests.Fakes;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Cli;

/// <summary>The `iscsi` command against a fake target whose names and INQUIRY strings hold terminal control sequences
/// (clear screen, set window title, BEL, CR): what the command prints shows them as \xNN, never raw.</summary>
public sealed class CliHostileTextTests
{
    private const byte DeviceType = 0x05; // CD/DVD: `luns` asks no READ CAPACITY of it
    private const string HostileName = "iqn.2025-01.test:\u001b[2Jx\u0007";
    private static readonly byte[] Vendor = "EV\u001b[2J\u0007\r"u8.ToArray();
    private static readonly byte[] Product = "P\u001b]0;owned\u0007     "u8.ToArray();
    private static readonly byte[] Revision = "\u001b[0m"u8.ToArray();
    private static readonly byte[] Serial = "SER\u001b[31mX"u8.ToArray();

    [Fact]
    public async Task Inquiry_strings_and_the_serial_are_escaped()
    {
        await using var fake = new FakeTarget(AnswerHostileAsync);
        var standard = await RunAsync("inquiry", Url(fake, 0));
        Assert.Contains("VendorId:            EV\\x1B[2J\\x07\\x0D", standard.StandardOutput);
        Assert.Contains("ProductId:           P\\x1B]0;owned\\x07", standard.StandardOutput);
        Assert.Contains("ProductRevision:     \\x1B[0m", standard.StandardOutput);
        var serial = await RunAsync("inquiry", Url(fake, 0), "--page", "0x80");
        Assert.Contains("UnitSerialNumber: SER\\x1B[31mX", serial.StandardOutput);
    }

    [Fact]
    public async Task Luns_escapes_vendor_and_product()
    {
        await using var fake = new FakeTarget(AnswerHostileAsync);
        var r = await RunAsync("luns", $"iscsi://{FakeTarget.Host}:{fake.Port}/{FakeTarget.TargetName}");
        Assert.Contains("EV\\x1B[2J\\x07\\x0D", r.StandardOutput);
    }

    [Fact]
    public async Task Discover_escapes_target_names_and_addresses()
    {
        byte[] answer = Encoding.UTF8.GetBytes($"TargetName={HostileName}\0TargetAddress=10.0.0.1\u001b[2J:3260,1\0");
        await using var fake = new FakeTarget((c, pdu) => pdu.Opcode == Opcode.TextRequest ? AnswerTextAsync(c, pdu, answer) : c.AnswerDefaultAsync(pdu));
        var r = await RunAsync("discover", $"{FakeTarget.Host}:{fake.Port}");
        Assert.Contains("iqn.2025-01.test:\\x1B[2Jx\\x07 10.0.0.1\\x1B[2J:3260,1", r.StandardOutput);
    }

    private static string Url(FakeTarget fake, int lun) => $"iscsi://{FakeTarget.Host}:{fake.Port}/{FakeTarget.TargetName}/{lun}";

    /// <summary>Runs the command, which must succeed and print no control character but the line ends.</summary>
    private static async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var r = await IscsiCommand.RunAsync([.. arguments, "--timeout", "10"]);
        Assert.True(r.Succeeded, r.Describe());
        string printed = r.StandardOutput + r.StandardError;
        Assert.False(printed.Any(c => char.IsControl(c) && c != '\n'), "a control character was printed:\n" + TextSafety.Printable(printed));
        return r;
    }

    private static Task AnswerHostileAsync(FakeConnection c, ReceivedPdu pdu)
    {
        if (pdu.Opcode != Opcode.ScsiCommand) return c.AnswerDefaultAsync(pdu);
        var cdb = pdu.ScsiCommand.Cdb.Span;
        byte[]? data = cdb[0] switch
        {
            0x12 when (cdb[1] & 0x01) == 0 => StandardInquiry(),
            0x12 when cdb[2] == 0x80 => [DeviceType, 0x80, 0, (byte)Serial.Length, .. Serial],
            0xA0 => [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // REPORT LUNS: LUN 0
            _ => null,
        };
        if (data is null) return c.AnswerDefaultAsync(pdu);
        int length = (int)Math.Min(data.Length, pdu.ScsiCommand.ExpectedDataTransferLength);
        return c.SendDataInAsync(new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag, Final = true, HasStatus = true }, data.AsMemory(0, length));
    }

    private static byte[] StandardInquiry()
    {
        var d = new byte[36];
        d[0] = DeviceType;
        d[2] = 0x06;
        d[3] = 0x02;
        d[4] = 31;
        Vendor.CopyTo(d, 8);
        Product.CopyTo(d, 16);
        Revision.CopyTo(d, 32);
        return d;
    }

    private static Task AnswerTextAsync(FakeConnection c, ReceivedPdu pdu, byte[] answer)
    {
        var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
        return c.SendPduAsync(b => new TextResponse
        {
            Final = true, InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = Bhs.ReservedTag,
            StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = answer.Length,
        }.WriteTo(b), answer);
    }
}
