using Iscsi.Scsi;

namespace Iscsi.Tests.Scsi;

public class CdbInfoTests
{
    [Theory]
    [InlineData(0x28, "READ(10)")]
    [InlineData(0x8A, "WRITE(16)")]
    [InlineData(0x00, "TEST UNIT READY")]
    [InlineData(0x42, "UNMAP")]
    [InlineData(0xC5, "OPCODE 0xC5")]
    public void Name(byte opcode, string expected) => Assert.Equal(expected, CdbInfo.Name(opcode));

    [Theory]
    [InlineData(new byte[] { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, false)]
    [InlineData(new byte[] { 0x12, 0, 0, 0, 36, 0 }, false)]
    [InlineData(new byte[] { 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 }, false)]
    [InlineData(new byte[] { 0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, true)]
    [InlineData(new byte[] { 0x93, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }, true)]
    [InlineData(new byte[] { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 }, true)]
    [InlineData(new byte[] { 0x04, 0, 0, 0, 0, 0 }, true)]
    [InlineData(new byte[] { 0xC5, 0, 0, 0, 0, 0 }, true)]
    [InlineData(new byte[] { }, true)]
    public void IsDataChanging(byte[] cdb, bool expected) => Assert.Equal(expected, CdbInfo.IsDataChanging(cdb));
}
