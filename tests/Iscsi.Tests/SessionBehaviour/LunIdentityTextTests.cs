using System.Text;
using Iscsi.Scsi;
using Iscsi.Session;
using Xunit;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>What a LogicalUnitChanged message says about the two LUs: only what differs, designators readable.</summary>
public sealed class LunIdentityTextTests
{
    // VPD 83h with two LU designators: T10 vendor ID "IET     00010001" (ASCII, zero-padded as tgtd sends it) and NAA 6.
    private static byte[] Page83()
    {
        var t10 = Encoding.ASCII.GetBytes("IET     00010001").Concat(new byte[8]).ToArray();
        byte[] naa = [0x60, 0, 0, 0, 0, 0, 0, 0, 0x0E, 0, 0, 0, 0, 1, 0, 1];
        var body = new List<byte>();
        body.AddRange([0x02, 0x01, 0x00, (byte)t10.Length]); body.AddRange(t10);  // code set ASCII, association LU, type 1
        body.AddRange([0x01, 0x03, 0x00, (byte)naa.Length]); body.AddRange(naa);  // code set binary, association LU, type 3
        return [0x00, 0x83, 0x00, (byte)body.Count, .. body];
    }

    [Fact]
    public void A_t10_vendor_id_reads_as_text_and_a_naa_as_hex()
    {
        Assert.Equal("T10VendorId:\"IET     00010001\"; Naa:60000000000000000E00000000010001",
            LunIdentity.Of(DeviceIdentification.Parse(Page83())));
    }

    [Fact]
    public void A_t10_vendor_id_with_control_characters_is_shown_in_hex()
    {
        var page = Page83();
        page[8] = 0x1B; // ESC inside the vendor field
        Assert.StartsWith("T10VendorId:1B45", LunIdentity.Of(DeviceIdentification.Parse(page)));
    }

    [Fact]
    public void Only_what_changed_is_named()
    {
        var before = new LunIdentity("Naa:01", "A", 512, 2048);
        Assert.Equal("", before.DifferencesFrom(before));
        Assert.Equal("unit serial number (VPD 80h) was A, is now B", (before with { SerialNumber = "B" }).DifferencesFrom(before));
        Assert.Equal("capacity was 2048 blocks of 512 bytes, is now 1024 blocks of 4096 bytes; designators (VPD 83h) were Naa:01, are now none",
            (before with { BlockCount = 1024, BlockSize = 4096, Designators = "" }).DifferencesFrom(before));
        Assert.Equal("unit serial number (VPD 80h) was A, is now none", (before with { SerialNumber = null }).DifferencesFrom(before));
    }
}
