using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi write &lt;url&gt; --lba N --in file [-m N]`: writes a file's bytes (a whole number of blocks), up to -m
/// requests of 1 MiB in flight; a write that fails or is stopped says which blocks are written, unknown and not sent.</summary>
public static class WriteCommand
{
    private const int ChunkBytes = 1 << 20;
    private const int DefaultDepth = 8;
    private const int MaxDepth = 64;

    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var lba = new Option<ulong>("--lba") { Description = "First logical block.", DefaultValueFactory = _ => 0 };
        var input = new Option<FileInfo>("--in") { Description = "File whose bytes are written; its length must be a multiple of the block size.", Required = true };
        var depth = new Option<int>("-m", "--max-requests") { Description = "Requests of up to 1 MiB in flight.", DefaultValueFactory = _ => DefaultDepth };
        var command = new Command("write", "Write a file to a LUN, starting at an LBA (pipelined).") { url, lba, input, depth };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            var file = parse.GetValue(input)!;
            if (!file.Exists)
                throw new IscsiArgumentException("InputFileNotFound", $"The input file '{file.FullName}' does not exist.");
            int inFlight = parse.GetValue(depth);
            if (inFlight is < 1 or > MaxDepth)
                throw new IscsiArgumentException("QueueDepthInvalid", $"-m {inFlight} must be from 1 to {MaxDepth}.");
            ulong first = parse.GetValue(lba);
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            int lun = target.Lun!.Value;
            var capacity = await session.ReadCapacityAsync(lun, ct).ConfigureAwait(false);
            int blockSize = capacity.BlockSize;
            long length = file.Length;
            if (length == 0 || length % blockSize != 0)
                throw new IscsiArgumentException("DataNotBlockMultiple",
                    $"The file '{file.Name}' is {length} bytes, not a positive multiple of LUN {lun}'s {blockSize}-byte block size.");
            long blocks = length / blockSize;
            BlockRange.Check(first, blocks, capacity.BlockCount, lun);

            using var source = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            var pipeline = new BlockPipeline(BlockTransferKind.Write, first, (ulong)blocks, blockSize, (uint)Math.Max(1, ChunkBytes / blockSize), inFlight,
                $"LUN {lun} of {target.TargetName}");
            var buffers = new byte[pipeline.Depth][];
            for (int i = 0; i < buffers.Length; i++) buffers[i] = GC.AllocateUninitializedArray<byte>(pipeline.RequestBytes);
            var clock = Stopwatch.StartNew();
            await pipeline.RunAsync(async (request, slot) =>
            {
                var buffer = buffers[slot].AsMemory(0, pipeline.BytesOf(request));
                int read = 0;
                while (read < buffer.Length)
                {
                    int n = await RandomAccess.ReadAsync(source, buffer[read..], request.Offset + read, ct).ConfigureAwait(false);
                    if (n == 0) throw new IOException($"'{file.FullName}' became shorter while it was being written.");
                    read += n;
                }
                return await session.WriteBlocksAsync(lun, request.Lba, blockSize, buffer, ct).ConfigureAwait(false);
            }, (request, _, result) =>
            {
                CliRunner.EnsureGood(result, $"WRITE of {request.Blocks} blocks at LBA {request.Lba}");
                return ValueTask.CompletedTask;
            }, ct).ConfigureAwait(false);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {length} bytes ({blocks} blocks) at LBA {first} in {clock.Elapsed.TotalSeconds:0.000} s ({Units.MegabytesPerSecond(length, clock.Elapsed)})"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
