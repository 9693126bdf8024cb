using System.Buffers;
using System.CommandLine;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi read &lt;url&gt; --lba N --blocks N [--out file]`: hex dump to stdout, or raw bytes to a file.</summary>
public static class ReadCommand
{
    // Requests of at most 1 MiB each: large enough to stream, small enough to bound memory.
    private const int ChunkBytes = 1 << 20;

    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var lba = new Option<ulong>("--lba") { Description = "First logical block.", DefaultValueFactory = _ => 0 };
        var blocks = new Option<long>("--blocks", "-n") { Description = "Number of blocks.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the raw bytes to this file instead of a hex dump." };
        var command = new Command("read", "Read blocks from a LUN.") { url, lba, blocks, output };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            long count = parse.GetValue(blocks);
            ulong first = parse.GetValue(lba);
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            int lun = target.Lun!.Value;
            var capacity = await session.ReadCapacityAsync(lun, ct).ConfigureAwait(false);
            BlockRange.Check(first, count, capacity.BlockCount, lun);
            var file = parse.GetValue(output);
            await using Stream sink = file is null ? Stream.Null : new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
            int perChunk = Math.Max(1, ChunkBytes / capacity.BlockSize);
            var buffer = ArrayPool<byte>.Shared.Rent(perChunk * capacity.BlockSize);
            try
            {
                for (long done = 0; done < count;)
                {
                    int n = (int)Math.Min(perChunk, count - done);
                    var memory = buffer.AsMemory(0, n * capacity.BlockSize);
                    var result = await session.ReadBlocksAsync(lun, first + (ulong)done, n, capacity.BlockSize, memory, ct).ConfigureAwait(false);
                    CliRunner.EnsureGood(result, $"READ of {n} blocks at LBA {first + (ulong)done}");
                    if (file is null) HexDump.Write(Console.Out, memory.Span, (long)(first + (ulong)done) * capacity.BlockSize);
                    else await sink.WriteAsync(memory, ct).ConfigureAwait(false);
                    done += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
