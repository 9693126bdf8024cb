using System.Diagnostics;
using System.Globalization;
using Iscsi.Session;
using IscsiModule.Logic;
using IscsiModule;

// BlockTransferBench <host> <port> <target-iqn> <lun> <bytes> <path> [buffer-size] [buffer-count]
// Reads <bytes> from LBA 0 of the LUN into <path> through BlockTransfer.ReadToFileAsync (what
// Read-IscsiBlock -Path runs) and prints "bytes seconds MB/s cpu-seconds" (MB = 10^6 bytes).
if (args.Length < 6)
{
    Console.Error.WriteLine("usage: BlockTransferBench <host> <port> <target-iqn> <lun> <bytes> <path> [buffer-size] [buffer-count]");
    return 2;
}
var c = CultureInfo.InvariantCulture;
int lun = int.Parse(args[3], c);
long bytes = long.Parse(args[4], c);
var options = new TransferOptions
{
    BufferSize = args.Length > 6 ? int.Parse(args[6], c) : TransferOptions.DefaultBufferSize,
    BufferCount = args.Length > 7 ? int.Parse(args[7], c) : TransferOptions.DefaultBufferCount,
};
await using var session = await IscsiSession.ConnectAsync(args[0], int.Parse(args[1], c), args[2]);
var info = new SessionCache().Add(session, IscsiAuthenticationType.None);
var transfer = await BlockTransfer.OpenAsync(info, lun, CancellationToken.None);
ulong blocks = (ulong)(bytes / transfer.BlockSize);
// A short warm-up (JIT, pools), not counted.
await transfer.ReadToFileAsync(args[5], 0, Math.Min(blocks, (ulong)(64 << 20) / (ulong)transfer.BlockSize), options, null, CancellationToken.None);
var process = Process.GetCurrentProcess();
process.Refresh();
var cpuBefore = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
await transfer.ReadToFileAsync(args[5], 0, blocks, options, null, CancellationToken.None);
clock.Stop();
process.Refresh();
double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
long total = (long)blocks * transfer.BlockSize;
Console.WriteLine(string.Format(c, "{0} bytes in {1:0.000} s: {2:0} MB/s, cpu {3:0.000} s", total, clock.Elapsed.TotalSeconds, total / clock.Elapsed.TotalSeconds / 1e6, cpu));
return 0;
