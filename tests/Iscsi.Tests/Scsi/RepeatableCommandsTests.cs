using Iscsi.Scsi;

namespace Iscsi.Tests.Scsi;

/// <summary>Which commands a reconnect may send again: by opcode (SBC-4/SPC-5 operation codes), and per command.</summary>
public sealed class RepeatableCommandsTests
{
    [Theory]
    [InlineData(new byte[] { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, true)]   // READ (10)
    [InlineData(new byte[] { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }, true)] // READ (16)
    [InlineData(new byte[] { 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, true)]   // WRITE (10): same data, same blocks
    [InlineData(new byte[] { 0x8A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }, true)] // WRITE (16)
    [InlineData(new byte[] { 0x12, 0, 0, 0, 96, 0 }, true)]             // INQUIRY
    [InlineData(new byte[] { 0x00, 0, 0, 0, 0, 0 }, true)]              // TEST UNIT READY
    [InlineData(new byte[] { 0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, true)] // REPORT LUNS
    [InlineData(new byte[] { 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 }, true)] // READ CAPACITY (16)
    [InlineData(new byte[] { 0x9E, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, false)] // REMOVE ELEMENT AND TRUNCATE
    [InlineData(new byte[] { 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }, false)] // COMPARE AND WRITE
    [InlineData(new byte[] { 0x5F, 0x01, 0, 0, 0, 0, 0, 0, 24, 0 }, false)] // PERSISTENT RESERVE OUT
    [InlineData(new byte[] { 0x3B, 0x05, 0, 0, 0, 0, 0, 0, 0, 0 }, false)] // WRITE BUFFER (microcode)
    [InlineData(new byte[] { 0x04, 0, 0, 0, 0, 0 }, false)]             // FORMAT UNIT
    [InlineData(new byte[] { 0xC0, 0, 0, 0, 0, 0 }, false)]             // vendor specific: unknown
    public void Opcodes_decide_by_default(byte[] cdb, bool repeatable)
    {
        Assert.Equal(repeatable, RepeatableCommands.IsRepeatable(cdb));
        Assert.Equal(repeatable, new ScsiCommand(0, cdb).IsRepeatable);
    }

    [Fact]
    public void The_command_can_override_the_opcode_either_way()
    {
        Assert.False(new ScsiCommand(0, Cdb.Read10(0, 1)) { RepeatOnReconnect = false }.IsRepeatable);
        var compareAndWrite = new byte[16];
        compareAndWrite[0] = 0x89;
        Assert.True(new ScsiCommand(0, compareAndWrite) { RepeatOnReconnect = true }.IsRepeatable);
    }

    [Fact]
    public void An_empty_cdb_is_not_repeatable() => Assert.False(RepeatableCommands.IsRepeatable([]));
}
