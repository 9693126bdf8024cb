using Iscsi.Scsi;

namespace Iscsi.Tests.Scsi;

public class AscAscqTableTests
{
    [Theory]
    [InlineData(0x04, 0x01, "LOGICAL UNIT IS IN PROCESS OF BECOMING READY")]
    [InlineData(0x20, 0x00, "INVALID COMMAND OPERATION CODE")]
    [InlineData(0x24, 0x00, "INVALID FIELD IN CDB")]
    [InlineData(0x25, 0x00, "LOGICAL UNIT NOT SUPPORTED")]
    [InlineData(0x27, 0x00, "WRITE PROTECTED")]
    [InlineData(0x29, 0x00, "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED")]
    [InlineData(0x3A, 0x00, "MEDIUM NOT PRESENT")]
    [InlineData(0x21, 0x00, "LOGICAL BLOCK ADDRESS OUT OF RANGE")]
    [InlineData(0x00, 0x00, "NO ADDITIONAL SENSE INFORMATION")]
    [InlineData(0x5D, 0x00, "FAILURE PREDICTION THRESHOLD EXCEEDED")]
    [InlineData(0x5D, 0xFF, "FAILURE PREDICTION THRESHOLD EXCEEDED (FALSE)")]
    [InlineData(0x40, 0x00, "RAM FAILURE (SHOULD USE 40 NN)")]
    [InlineData(0x74, 0x79, "SECURITY CONFLICT IN TRANSLATED DEVICE")]
    [InlineData(0x04, 0x24, "DEPOPULATION IN PROGRESS")]
    public void Lookup_StandardNames(byte asc, byte ascq, string expected) => Assert.Equal(expected, AscAscqTable.Lookup(asc, ascq));

    [Theory]
    [InlineData(0x40, 0x85, "DIAGNOSTIC FAILURE ON COMPONENT 85H")]
    [InlineData(0x40, 0xFF, "DIAGNOSTIC FAILURE ON COMPONENT FFH")]
    [InlineData(0x4D, 0x1F, "TAGGED OVERLAPPED COMMANDS (TASK TAG 1FH)")]
    [InlineData(0x70, 0x03, "DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF 03H")]
    public void Lookup_Ranges(byte asc, byte ascq, string expected) => Assert.Equal(expected, AscAscqTable.Lookup(asc, ascq));

    [Fact]
    public void Lookup_40hBelow80h_IsNotARangeEntry() => Assert.Null(AscAscqTable.Lookup(0x40, 0x01));

    [Theory]
    [InlineData(0x80, 0x00, "VENDOR SPECIFIC ASC/ASCQ 80H/00H")]
    [InlineData(0x04, 0x80, "VENDOR SPECIFIC ASC/ASCQ 04H/80H")]
    [InlineData(0x0F, 0x00, "UNKNOWN ASC/ASCQ 0FH/00H")]
    public void Describe_Unassigned(byte asc, byte ascq, string expected)
    {
        Assert.Null(AscAscqTable.Lookup(asc, ascq));
        Assert.Equal(expected, AscAscqTable.Describe(asc, ascq));
    }

    [Fact]
    public void Count_IsTheFullT10List()
    {
        // asc-num.txt (2024-11-28) names about 765 specific code points; with the three NN families
        // (128 + 256 + 256 qualifiers) the table answers for well over 900 pairs.
        Assert.True(AscAscqTable.Count >= 760, $"only {AscAscqTable.Count} entries");
        int answered = 0;
        for (int asc = 0; asc < 256; asc++)
            for (int ascq = 0; ascq < 256; ascq++)
                if (AscAscqTable.Lookup((byte)asc, (byte)ascq) is not null) answered++;
        Assert.True(answered >= 900, $"only {answered} pairs named");
    }

    [Fact]
    public void All_IsSortedAndUppercase()
    {
        var all = AscAscqTable.All.ToList();
        Assert.Equal(AscAscqTable.Count, all.Count);
        Assert.All(all, e => Assert.Equal(e.Name.ToUpperInvariant(), e.Name));
        Assert.Equal(all.OrderBy(e => e.Asc).ThenBy(e => e.Ascq).ToList(), all);
    }
}
