using Iscsi.Scsi;
using Iscsi.Session;

namespace Iscsi.Tests.Session;

/// <summary>Values an admin types wrong, refused by the engine before anything is sent: each with its ErrorId and
/// a message that names the value.</summary>
public sealed class CallerValueTests
{
    private const string Iqn = "iqn.2026-11.test.iscsimodule:disk";

    private static IscsiSessionOptions Fast() => new() { ConnectTimeout = TimeSpan.FromSeconds(5), LoginTimeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public async Task A_port_outside_1_to_65535_is_PortalPortInvalid_naming_it(int port)
    {
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(() => IscsiSession.ConnectAsync("127.0.0.1", port, Iqn, Fast()));
        Assert.Equal("PortalPortInvalid", ex.ErrorId);
        Assert.Contains($"port {port} ", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task An_empty_portal_address_is_PortalAddressEmpty(string host)
        => Assert.Equal("PortalAddressEmpty", (await Assert.ThrowsAsync<IscsiArgumentException>(
            () => IscsiSession.ConnectAsync(host, 3260, Iqn, Fast()))).ErrorId);

    [Fact]
    public async Task A_name_that_does_not_resolve_is_PortalNotResolved_naming_it()
    {
        var ex = await Assert.ThrowsAsync<IscsiConnectionException>(() => IscsiSession.ConnectAsync("no-such-portal.invalid", 3260, Iqn, Fast()));
        Assert.Equal("PortalNotResolved", ex.ErrorId);
        Assert.Contains("'no-such-portal.invalid'", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task An_empty_target_name_is_TargetNameEmpty(string iqn)
    {
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(() => IscsiSession.ConnectAsync("127.0.0.1", 3260, iqn, Fast()));
        Assert.Equal("TargetNameEmpty", ex.ErrorId);
        Assert.Contains("target name", ex.Message);
    }

    [Theory]
    [InlineData("not an iqn")]
    [InlineData("iqn.")]
    [InlineData("eui.12")]
    public async Task An_invalid_initiator_name_is_InitiatorNameInvalid_naming_it(string name)
    {
        var options = Fast();
        options.InitiatorName = name;
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(() => IscsiSession.ConnectAsync("127.0.0.1", 3260, Iqn, options));
        Assert.Equal("InitiatorNameInvalid", ex.ErrorId);
        Assert.Contains($"'{name}'", ex.Message);
    }

    [Fact]
    public void Chap_credential_refuses_an_empty_user_or_secret_and_an_unsendable_user()
    {
        Assert.Equal("ChapUserNameEmpty", Assert.Throws<IscsiArgumentException>(() => new ChapCredential("", "a-long-enough-secret")).ErrorId);
        var noSecret = Assert.Throws<IscsiArgumentException>(() => new ChapCredential("alice", ""));
        Assert.Equal("ChapSecretEmpty", noSecret.ErrorId);
        Assert.Contains("'alice'", noSecret.Message);

        var nul = Assert.Throws<IscsiArgumentException>(() => new ChapCredential("ali\0ce", "a-long-enough-secret"));
        Assert.Equal("ChapUserNameInvalid", nul.ErrorId);
        Assert.Contains("ali\\x00ce", nul.Message);
        Assert.Contains("NUL", nul.Message);
        string longName = "u" + new string('x', ChapCredential.MaxUserNameBytes);
        var tooLong = Assert.Throws<IscsiArgumentException>(() => new ChapCredential(longName, "a-long-enough-secret"));
        Assert.Equal("ChapUserNameInvalid", tooLong.ErrorId);
        Assert.Contains($"{ChapCredential.MaxUserNameBytes + 1} bytes", tooLong.Message);
        Assert.Contains(longName[..20], tooLong.Message);
        Assert.DoesNotContain("a-long-enough-secret", tooLong.Message);
        Assert.Equal(ChapCredential.MaxUserNameBytes, new ChapCredential(longName[1..], "s").UserName.Length);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(16384)]
    [InlineData(int.MaxValue)]
    public void A_lun_outside_0_to_16383_is_LunOutOfRange_naming_it(int lun)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => new ScsiCommand(lun, new byte[6]));
        Assert.Equal("LunOutOfRange", ex.ErrorId);
        Assert.Contains($"LUN {lun} ", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(260)]
    public void A_cdb_not_6_to_16_bytes_is_CdbLengthInvalid_naming_its_length(int length)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => new ScsiCommand(1, new byte[length]));
        Assert.Equal("CdbLengthInvalid", ex.ErrorId);
        Assert.Contains($"got {length}", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_zero_or_negative_block_count_is_BlockCountInvalid_naming_it(int blocks)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => BlockIoArguments.ValidateRead(blocks, 512, 4096));
        Assert.Equal("BlockCountInvalid", ex.ErrorId);
        Assert.Contains($"count {blocks} ", ex.Message);
    }

    [Fact]
    public void A_block_count_past_one_transfer_is_TransferTooLarge_naming_it()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => BlockIoArguments.ValidateRead(int.MaxValue, 4096, int.MaxValue));
        Assert.Equal("TransferTooLarge", ex.ErrorId);
        Assert.Contains($"{int.MaxValue} blocks of 4096 bytes", ex.Message);
    }

    [Fact]
    public void A_ten_byte_cdb_refuses_an_lba_or_count_its_fields_cannot_hold()
    {
        var lba = Assert.Throws<IscsiArgumentException>(() => Cdb.Read10(0x1_0000_0000, 1));
        Assert.Equal("LbaOutOfRange", lba.ErrorId);
        Assert.Contains("LBA 4294967296", lba.Message);
        var count = Assert.Throws<IscsiArgumentException>(() => Cdb.Read10(0, 65536));
        Assert.Equal("BlockCountOutOfRange", count.ErrorId);
        Assert.Contains("65536 blocks", count.Message);
    }
}
