namespace Iscsi.Tests.Infrastructure;

/// <summary>The parsers against output captured from libiscsi 1.19 talking to tgtd 1.0.85 (see tgt-target.sh),
/// so a wrong split or a skipped line fails here, without a target.</summary>
public sealed class LibIscsiOutputParserTests
{
    // iscsi-readcapacity16 iscsi://127.0.0.1:PORT/iqn.2026-11.test.iscsimodule:disk/1 (64 MiB, 512-byte blocks)
    private const string ReadCapacity16Lun1 =
        "RETURNED LOGICAL BLOCK ADDRESS:131071\n" +
        "LOGICAL BLOCK LENGTH IN BYTES:512\n" +
        "P_TYPE:0 PROT_EN:0\n" +
        "P_I_EXPONENT:0 LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT:3\n" +
        "LBPME:0 LBPRZ:0\n" +
        "LOWEST ALIGNED LOGICAL BLOCK ADDRESS:0\n" +
        "Total size:67108864\n";

    private const string StandardInquiry =
        "Peripheral Qualifier:CONNECTED\n" +
        "Peripheral Device Type:DIRECT_ACCESS\n" +
        "Removable:0\n" +
        "Version:5 ANSI INCITS 408-2005 (SPC-3)\n" +
        "NormACA:0\n" +
        "HiSup:1\n" +
        "ReponseDataFormat:2\n" +
        "CmdQue:1\n" +
        "Vendor:IET     \n" +
        "Product:VIRTUAL-DISK    \n" +
        "Revision:0001\n" +
        "Version Descriptor:04c0 SBC-3\n" +
        "Version Descriptor:0960 iSCSI\n" +
        "Version Descriptor:0300 SPC-3\n";

    private const string ListWithLuns =
        "Target:iqn.2026-11.test.iscsimodule:mutual Portal:127.0.0.1:29903,1\n" +
        "Lun:0    Type:STORAGE_ARRAY_CONTROLLER\n" +
        "Lun:1    Type:DIRECT_ACCESS (Size:15M)\n" +
        "Target:iqn.2026-11.test.iscsimodule:disk Portal:127.0.0.1:29903,1\n" +
        "Lun:0    Type:STORAGE_ARRAY_CONTROLLER\n" +
        "Lun:2    Type:DIRECT_ACCESS (Size:1023G)\n";

    [Fact]
    public void ReadCapacity16_SplitsPairsWhoseNamesContainBlanks()
    {
        var capacity = LibIscsiOutputParser.ParseReadCapacity16(ReadCapacity16Lun1);

        Assert.Equal(131071UL, capacity.ReturnedLogicalBlockAddress);
        Assert.Equal(131072UL, capacity.BlockCount);
        Assert.Equal(512U, capacity.LogicalBlockLength);
        Assert.Equal(0, capacity.ProtectionType);
        Assert.False(capacity.ProtectionEnabled);
        Assert.Equal(0, capacity.ProtectionIntervalExponent);
        Assert.Equal(3, capacity.LogicalBlocksPerPhysicalBlockExponent);
        Assert.False(capacity.ThinProvisioningEnabled);
        Assert.False(capacity.ThinProvisioningReadsZeros);
        Assert.Equal(0UL, capacity.LowestAlignedLogicalBlockAddress);
        Assert.Equal(67108864UL, capacity.TotalSize);
        Assert.Equal(10, capacity.Fields.Fields.Count);
    }

    [Fact]
    public void ReadCapacity16_RejectsALineThatIsNotPairs()
    {
        var error = Assert.Throws<FormatException>(() =>
            LibIscsiOutputParser.ParseReadCapacity16(ReadCapacity16Lun1 + "garbage without colon\n"));
        Assert.Contains("garbage without colon", error.Message);
    }

    [Fact]
    public void ReadCapacity16_NamesTheMissingField()
    {
        var error = Assert.Throws<KeyNotFoundException>(() =>
            LibIscsiOutputParser.ParseReadCapacity16("LOGICAL BLOCK LENGTH IN BYTES:512\n"));
        Assert.Contains("RETURNED LOGICAL BLOCK ADDRESS", error.Message);
    }

    [Fact]
    public void Inquiry_KeepsValuesVerbatimAndRepeatedNames()
    {
        var inquiry = LibIscsiOutputParser.ParseInquiry(StandardInquiry);

        Assert.Equal("DIRECT_ACCESS", inquiry["Peripheral Device Type"]);
        Assert.Equal("5 ANSI INCITS 408-2005 (SPC-3)", inquiry["Version"]);
        Assert.Equal("IET     ", inquiry["Vendor"]);
        Assert.Equal("VIRTUAL-DISK    ", inquiry["Product"]);
        Assert.Equal(["04c0 SBC-3", "0960 iSCSI", "0300 SPC-3"], inquiry.All("Version Descriptor"));
        Assert.Equal("04c0 SBC-3", inquiry.ToDictionary()["Version Descriptor"]);
        Assert.Equal(14, inquiry.Fields.Count);
    }

    [Fact]
    public void Inquiry_ALineWithoutColonContinuesTheRawDesignatorBefore()
    {
        // iscsi-inq prints binary NAA designators raw; a 0x0A byte in one splits it over two lines.
        var inquiry = LibIscsiOutputParser.ParseInquiry("Designator Type:(3) NAA\nDesignator:[ab\ncd]\nPIV:0\n");

        Assert.Equal("[ab\ncd]", inquiry["Designator"]);
        Assert.Equal("0", inquiry["PIV"]);
    }

    [Fact]
    public void Inquiry_UnknownFieldNamesTheFieldsThereAre()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => LibIscsiOutputParser.ParseInquiry(StandardInquiry)["Vendor Id"]);
        Assert.Contains("'Vendor Id'", error.Message);
        Assert.Contains("Product", error.Message);
    }

    [Fact]
    public void TargetList_GroupsLunsUnderTheirTarget()
    {
        var targets = LibIscsiOutputParser.ParseTargetList(ListWithLuns);

        Assert.Equal(2, targets.Count);
        Assert.Equal("iqn.2026-11.test.iscsimodule:mutual", targets[0].Iqn);
        Assert.Equal("127.0.0.1:29903,1", targets[0].Portal);
        Assert.Equal([new LibIscsiLun(0, "STORAGE_ARRAY_CONTROLLER", null), new LibIscsiLun(1, "DIRECT_ACCESS", "15M")], targets[0].Luns);
        Assert.Equal("iqn.2026-11.test.iscsimodule:disk", targets[1].Iqn);
        Assert.Equal(new LibIscsiLun(2, "DIRECT_ACCESS", "1023G"), targets[1].Luns[1]);
    }

    [Fact]
    public void TargetList_WithoutLunsHasEmptyLunLists()
    {
        var targets = LibIscsiOutputParser.ParseTargetList("Target:iqn.a:b Portal:127.0.0.1:3261,1\r\n");

        Assert.Equal("iqn.a:b", Assert.Single(targets).Iqn);
        Assert.Empty(targets[0].Luns);
    }

    [Theory]
    [InlineData("Lun:0    Type:DIRECT_ACCESS\n")]
    [InlineData("Target:iqn.a:b Portal:127.0.0.1:3261,1\nlist_luns: iscsi_connect failed.\n")]
    public void TargetList_RejectsLinesItDoesNotKnow(string output) =>
        Assert.Throws<FormatException>(() => LibIscsiOutputParser.ParseTargetList(output));
}
