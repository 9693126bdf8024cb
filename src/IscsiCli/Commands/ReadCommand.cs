using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Iscsi;
using Iscsi.Scsi;

namespace IscsiCli.Commands;

/// <summary>`iscsi read &lt;url&gt; --lba N --blocks N [--out file] [-m N]`: hex dump to stdout, or raw bytes to a file
/// (with a summary line on stderr); up to -m requests in flight, written in order.</summary>
public static class ReadCommand
{
    // Requests of at most 1 MiB each, 8 in flight by default: large enough to keep the link busy (the 1 MiB x 8
    // row of bench/compare.sh is the engine's best sequential read), small enough to bound memory to 8 MiB.
    private const int ChunkBytes = 1 << 20;
    private const int DefaultDepth = 8;
    private const int MaxDepth = 64;

    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var lba = new Option<ulong>("--lba") { Description = "First logical block.", DefaultValueFactory = _ => 0 };
        var blocks = new Option<long>("--blocks", "-n") { Description = "Number of blocks.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the raw bytes to this file instead of a hex dump." };
        var depth = new Option<int>("-m", "--max-requests") { Description = "Requests of up to 1 MiB in flight (read-ahead).", DefaultValueFactory = _ => DefaultDepth };
        var command = new Command("read", "Read blocks from a LUN (pipelined, in order).") { url, lba, blocks, output, depth };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            long count = parse.GetValue(blocks);
            ulong first = parse.GetValue(lba);
            int inFlight = parse.GetValue(depth);
            if (inFlight is < 1 or > MaxDepth)
                throw new IscsiArgumentException("QueueDepthInvalid", $"-m {inFlight} must be from 1 to {MaxDepth}.");
            await using var session = await CliRunner.ConnectAsync(target, common.Build(parse, target), ct).ConfigureAwait(false);
            int lun = target.Lun!.Value;
            var capacity = await session.ReadCapacityAsync(lun, ct).ConfigureAwait(false);
            BlockRange.Check(first, count, capacity.BlockCount, lun);
            var file = parse.GetValue(output);
            int blockSize = capacity.BlockSize;
            var pipeline = new BlockPipeline(BlockTransferKind.Read, first, (ulong)count, blockSize, (uint)Math.Max(1, ChunkBytes / blockSize), inFlight,
                $"LUN {lun} of {target.TargetName}", file?.FullName);
            var buffers = new byte[pipeline.Depth][];
            for (int i = 0; i < buffers.Length; i++) buffers[i] = GC.AllocateUninitializedArray<byte>(pipeline.RequestBytes);
            Task<ScsiResult> Read(BlockRequest request, int slot)
                => session.ReadBlocksAsync(lun, request.Lba, (int)request.Blocks, blockSize, buffers[slot], ct);
            var clock = Stopwatch.StartNew();
            if (file is null)
            {
                await pipeline.RunAsync(Read, (request, slot, result) =>
                {
                    EnsureRead(request, result, blockSize);
                    HexDump.Write(Console.Out, buffers[slot].AsSpan(0, pipeline.BytesOf(request)), (long)request.Lba * blockSize);
                    return ValueTask.CompletedTask;
                }, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            // Unbuffered and synchronous: each write is a whole request (1 MiB), so a buffer would only add a
            // copy, and the write runs on the thread that just got the data while the next requests are in flight.
            using (var sink = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0))
            {
                await pipeline.RunAsync(Read, (request, slot, result) =>
                {
                    EnsureRead(request, result, blockSize);
                    sink.Write(buffers[slot], 0, pipeline.BytesOf(request));
                    return ValueTask.CompletedTask;
                }, ct).ConfigureAwait(false);
            }
            long bytes = count * blockSize;
            // On stderr, so that --out /dev/stdout stays the raw bytes alone.
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read {bytes} bytes ({count} blocks) from LBA {first} in {clock.Elapsed.TotalSeconds:0.000} s ({Units.MegabytesPerSecond(bytes, clock.Elapsed)})"));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>A READ that did not bring GOOD status and every byte asked for fails the transfer.</summary>
    private static void EnsureRead(BlockRequest request, ScsiResult result, int blockSize)
    {
        CliRunner.EnsureGood(result, $"READ of {request.Blocks} blocks at LBA {request.Lba}");
        int bytes = (int)(request.Blocks * (ulong)blockSize);
        if (result.DataInLength < bytes)
            throw new IscsiProtocolException(
                $"READ of {request.Blocks} blocks at LBA {request.Lba} returned {result.DataInLength} of {bytes} bytes with GOOD status.", "ShortRead");
    }
}
