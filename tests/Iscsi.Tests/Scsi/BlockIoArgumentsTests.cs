using Iscsi;
using Iscsi.Scsi;

namespace Iscsi.Tests.Scsi;

public class BlockIoArgumentsTests
{
    [Fact]
    public void Read_ReturnsByteCount() => Assert.Equal(4096, BlockIoArguments.ValidateRead(8, 512, 4096));

    [Fact]
    public void Read_BufferTooSmall_NamesNumbers()
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => BlockIoArguments.ValidateRead(8, 512, 4095));
        Assert.Equal("BufferTooSmall", ex.ErrorId);
        Assert.Contains("4095", ex.Message);
        Assert.Contains("4096", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Read_BlockCountNotPositive(int count)
        => Assert.Equal("BlockCountInvalid", Assert.Throws<IscsiArgumentException>(() => BlockIoArguments.ValidateRead(count, 512, 4096)).ErrorId);

    [Fact]
    public void Write_ReturnsBlocks() => Assert.Equal(3u, BlockIoArguments.ValidateWrite(4096, 12288));

    [Theory]
    [InlineData(1000)]
    [InlineData(0)]
    public void Write_NotBlockMultiple_NamesBothNumbers(int length)
    {
        var ex = Assert.Throws<IscsiArgumentException>(() => BlockIoArguments.ValidateWrite(512, length));
        Assert.Equal("DataNotBlockMultiple", ex.ErrorId);
        Assert.Contains(length.ToString(), ex.Message);
        Assert.Contains("512", ex.Message);
    }

    [Fact]
    public void BlockSizeZero_Throws()
        => Assert.Equal("BlockSizeInvalid", Assert.Throws<IscsiArgumentException>(() => BlockIoArguments.ValidateWrite(0, 512)).ErrorId);

    [Fact]
    public async Task ReadBlocksAsync_ValidatesBeforeTouchingTheSession()
    {
        // The session is never reached: argument errors come first.
        var ex = await Assert.ThrowsAsync<IscsiArgumentException>(
            () => IscsiSessionScsiExtensions.ReadBlocksAsync(null!, 0, 0, 2, 512, new byte[512]));
        Assert.Equal("BufferTooSmall", ex.ErrorId);
    }
}
