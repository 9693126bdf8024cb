using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>What an admin gets wrong on a cmdlet's parameters, refused by the module's logic classes (no target
/// needed): the ErrorId, the ErrorRecord category through ErrorMapper, and a message naming the value.</summary>
public sealed class BadInputLogicTests
{
    private const string Iqn = "iqn.2026-11.test.iscsimodule:disk";

    private static MappedError Refused(Action action)
        => ErrorMapper.Map(Assert.Throws<IscsiArgumentException>(action), "the-target-object");

    private static void Expect(MappedError error, string errorId, ModuleErrorCategory category, params string[] named)
    {
        Assert.Equal((errorId, category), (error.ErrorId, error.Category));
        Assert.Equal("the-target-object", error.TargetObject);
        foreach (var value in named) Assert.Contains(value, error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void Connect_port_outside_1_to_65535(int port)
        => Expect(Refused(() => new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", TargetPortalPortNumber = port }.Build()),
            "PortOutOfRange", ModuleErrorCategory.InvalidArgument, $"Port {port} ");

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public async Task New_portal_port_outside_1_to_65535(int port)
    {
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(() => TargetDiscoverer.AddPortalAsync(new SessionCache(), "h", port, null, null, null, CancellationToken.None));
        Expect(ErrorMapper.Map(ex, "the-target-object"), "PortOutOfRange", ModuleErrorCategory.InvalidArgument, $"Port {port} ");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Connect_empty_node_address_or_portal(string empty)
    {
        Expect(Refused(() => new ConnectRequest { NodeAddress = empty, TargetPortalAddress = "h" }.Build()), "NodeAddressMissing", ModuleErrorCategory.InvalidArgument, "-NodeAddress");
        Expect(Refused(() => new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = empty }.Build()), "TargetPortalAddressMissing", ModuleErrorCategory.InvalidArgument, Iqn);
    }

    [Theory]
    [InlineData("not an iqn")]
    [InlineData("iqn.2026-11")]
    public void Connect_invalid_initiator_name(string name)
        => Expect(Refused(() => new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", InitiatorName = name }.Build()),
            "InitiatorNameInvalid", ModuleErrorCategory.InvalidArgument, $"'{name}'");

    [Theory]
    [InlineData("nas01/" + Iqn, "iscsi://")]
    [InlineData("iscsi://", "host is missing")]
    [InlineData("iscsi://nas01:0/" + Iqn, "port '0'")]
    [InlineData("iscsi://nas01:65536/" + Iqn, "port '65536'")]
    [InlineData("iscsi://bob@nas01/" + Iqn, "user%secret")]
    [InlineData("iscsi://nas01/" + Iqn + "/16384", "LUN '16384'")]
    [InlineData("iscsi://nas01/" + Iqn + "?target_user=t&target_password=p-123456789012", "needs the initiator's user%secret")]
    [InlineData("iscsi://nas01/" + Iqn + "?data_digest=yes", "data_digest 'yes'")]
    public void Connect_bad_uri(string uri, string named)
        => Expect(Refused(() => new ConnectRequest { Uri = uri }.Build()), "UrlInvalid", ModuleErrorCategory.InvalidArgument, named);

    [Fact]
    public void Connect_uri_without_target_names_the_redacted_uri()
    {
        var error = Refused(() => new ConnectRequest { Uri = "iscsi://bob%uri-secret-123456@nas01:3261" }.Build());
        Expect(error, "UriTargetMissing", ModuleErrorCategory.InvalidArgument, "iscsi://bob%***@nas01:3261");
        Assert.DoesNotContain("uri-secret", error.Message);
    }

    [Theory]
    [InlineData("iscsi:/alice%S3cr3t-Mq4@127.0.0.1:P/" + Iqn)]
    [InlineData("iscsi:alice%S3cr3t-Mq4@127.0.0.1/" + Iqn)]
    [InlineData("alice%S3cr3t-Mq4@127.0.0.1/" + Iqn)]
    [InlineData(" iscsi://alice%S3cr3t-Mq4@127.0.0.1/" + Iqn)]
    [InlineData("iscs://alice%S3cr3t-Mq4@127.0.0.1/" + Iqn)]
    [InlineData("iscsi://alice:S3cr3t-Mq4@127.0.0.1/" + Iqn)]
    [InlineData("iscsi://u%s@127.0.0.1/" + Iqn + "&target_user=t&target_password=S3cr3t-Mq4")]
    public void Connect_mistyped_uri_never_shows_its_secret(string uri)
    {
        // What the cmdlet turns into an ErrorRecord: message (ErrorDetails), target object (CategoryInfo), exception.
        var request = new ConnectRequest { Uri = uri };
        var error = ErrorMapper.Map(Assert.Throws<IscsiArgumentException>(() => request.Build()), request.ErrorTarget);
        Assert.Equal(("UrlInvalid", ModuleErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains("***", Assert.IsType<string>(error.TargetObject));
        var seen = new TextCollector();
        seen.Walk(error);
        var leaks = SecretForms.Leaks(seen.Texts, ["S3cr3t-Mq4"]);
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    [Fact]
    public void Connect_mutual_chap_without_one_way_chap()
        => Expect(Refused(() => new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", TargetCredential = new ChapCredential("tgt", "target-secret-123") }.Build()),
            "CredentialRequired", ModuleErrorCategory.InvalidArgument, Iqn, "-Credential");

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    public void Raw_command_cdb_not_6_to_16_bytes(int length)
        => Expect(Refused(() => ScsiCommandFactory.Create(0, new byte[length], 0, null, null)), "CdbLengthInvalid", ModuleErrorCategory.InvalidArgument, $"got {length}");

    [Fact]
    public void Raw_command_without_a_cdb()
        => Expect(Refused(() => ScsiCommandFactory.Create(0, null, 0, null, null)), "CdbLengthInvalid", ModuleErrorCategory.InvalidArgument, "got 0");

    [Theory]
    [InlineData(16384)]
    [InlineData(-1)]
    public void Raw_command_lun_outside_0_to_16383(int lun)
        => Expect(Refused(() => ScsiCommandFactory.Create(lun, new byte[6], 0, null, null)), "LunOutOfRange", ModuleErrorCategory.InvalidArgument, $"LUN {lun} ");

    [Theory]
    [InlineData(-1)]
    [InlineData(ScsiCommandFactory.MaxDataInLength + 1)]
    public void Raw_command_data_in_length_out_of_range(int length)
        => Expect(Refused(() => ScsiCommandFactory.Create(0, new byte[6], length, null, null)), "DataInLengthOutOfRange", ModuleErrorCategory.InvalidArgument, $"-DataInLength {length} ");

    [Theory]
    [InlineData(0)]
    [InlineData(ScsiCommandFactory.MaxTimeoutSec + 1)]
    public void Raw_command_timeout_out_of_range(int seconds)
        => Expect(Refused(() => ScsiCommandFactory.Create(0, new byte[6], 0, null, seconds)), "TimeoutOutOfRange", ModuleErrorCategory.InvalidArgument, $"-TimeoutSec {seconds} ");

    [Fact]
    public void Session_lookups_name_what_was_not_found()
    {
        var cache = new SessionCache();
        Expect(Refused(() => cache.Get("0123456789ab-0001")), "SessionNotFound", ModuleErrorCategory.ObjectNotFound, "'0123456789ab-0001'");
        Expect(Refused(() => cache.Get(" ")), "SessionIdentifierEmpty", ModuleErrorCategory.InvalidArgument, "session identifier");
        Expect(Refused(() => cache.GetByNodeAddress(Iqn)), "SessionNotFound", ModuleErrorCategory.ObjectNotFound, Iqn);
        Expect(Refused(() => SessionResolver.Resolve(cache, null, null, null)), "SessionRequired", ModuleErrorCategory.InvalidArgument, "-SessionIdentifier");
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(511, 4)]
    [InlineData(1024 * 1024, 0)]
    [InlineData(1024 * 1024, 65)]
    public void Transfer_buffer_settings_out_of_range(int bufferSize, int bufferCount)
    {
        var error = Refused(() => new TransferOptions { BufferSize = bufferSize, BufferCount = bufferCount }.Validate());
        Assert.Equal(ModuleErrorCategory.InvalidArgument, error.Category);
        Assert.Contains(error.ErrorId == "BufferSizeOutOfRange" ? $"-BufferSize {bufferSize} " : $"-BufferCount {bufferCount} ", error.Message);
    }

    [Fact]
    public void Ping_count_and_delay_out_of_range()
    {
        Expect(Refused(() => SessionPinger.ValidateCount(0, 1)), "CountOutOfRange", ModuleErrorCategory.InvalidArgument, "-Count 0 ");
        Expect(Refused(() => SessionPinger.ValidateCount(1, -1)), "DelayOutOfRange", ModuleErrorCategory.InvalidArgument, "-Delay -1 ");
    }
}
