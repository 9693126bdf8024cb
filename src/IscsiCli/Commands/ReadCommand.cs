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
            Task<ScsiResult> Read(ulong at, int n, Memory<byte> buffer, CancellationToken token)
                => session.ReadBlocksAsync(lun, at, n, capacity.BlockSize, buffer, token);
            var file = parse.GetValue(output);
            int perChunk = Math.Max(1, ChunkBytes / capacity.BlockSize);
            int blockSize = capacity.BlockSize;
            var clock = Stopwatch.StartNew();
            if (file is null)
            {
                await PipelinedReader.ReadAsync(Read, first, count, blockSize, perChunk, inFlight, (at, data, _) =>
                {
                    HexDump.Write(Console.Out, data.Span, (long)at * blockSize);
                    return ValueTask.CompletedTask;
                }, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            // Unbuffered and synchronous: each write is a whole request (1 MiB), so a buffer would only add a
            // copy, and the write runs on the thread that just got the data while the next requests are in flight.
            using (var sink = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0))
            {
                await PipelinedReader.ReadAsync(Read, first, count, blockSize, perChunk, inFlight, (_, data, _) =>
                {
                    sink.Write(data.Span);
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
}
