using System.Buffers;
using System.CommandLine;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi write &lt;url&gt; --lba N --in file`: writes a file's bytes (a whole number of blocks).</summary>
public static class WriteCommand
{
    private const int ChunkBytes = 1 << 20;

    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var lba = new Option<ulong>("--lba") { Description = "First logical block.", DefaultValueFactory = _ => 0 };
        var input = new Option<FileInfo>("--in") { Description = "File whose bytes are written; its length must be a multiple of the block size.", Required = true };
        var command = new Command("write", "Write a file to a LUN, starting at an LBA.") { url, lba, input };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            var file = parse.GetValue(input)!;
            if (!file.Exists)
                throw new IscsiArgumentException("InputFileNotFound", $"The input file '{file.FullName}' does not exist.");
            ulong first = parse.GetValue(lba);
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            int lun = target.Lun!.Value;
            var capacity = await session.ReadCapacityAsync(lun, ct).ConfigureAwait(false);
            long length = file.Length;
            if (length == 0 || length % capacity.BlockSize != 0)
                throw new IscsiArgumentException("DataNotBlockMultiple",
                    $"The file '{file.Name}' is {length} bytes, not a positive multiple of LUN {lun}'s {capacity.BlockSize}-byte block size.");
            BlockRange.Check(first, length / capacity.BlockSize, capacity.BlockCount, lun);

            await using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes / capacity.BlockSize, 1) * capacity.BlockSize);
            long written = 0;
            try
            {
                int chunk = Math.Max(ChunkBytes / capacity.BlockSize, 1) * capacity.BlockSize;
                while (written < length)
                {
                    int want = (int)Math.Min(chunk, length - written);
                    await source.ReadExactlyAsync(buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                    ulong at = first + (ulong)(written / capacity.BlockSize);
                    var result = await session.WriteBlocksAsync(lun, at, capacity.BlockSize, buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                    CliRunner.EnsureGood(result, $"WRITE of {want / capacity.BlockSize} blocks at LBA {at} (after {written} bytes were written)");
                    written += want;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            Console.Out.WriteLine($"wrote {written} bytes ({written / capacity.BlockSize} blocks) at LBA {first}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
