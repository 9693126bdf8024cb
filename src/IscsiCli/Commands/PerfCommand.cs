using System.CommandLine;
using Iscsi.Scsi;
using IscsiCli.Perf;

namespace IscsiCli.Commands;

/// <summary>`iscsi perf &lt;url&gt; [-m N] [-b N] [-t S] [-r] [--write]`: libiscsi iscsi-perf's workload and summary,
/// plus latency percentiles, CPU and allocation per I/O.</summary>
public static class PerfCommand
{
    public static Command Create(SessionOptionsBinder common)
    {
        var url = new Argument<string>("url") { Description = "iscsi://[user%secret@]host[:port]/target-iqn/lun" };
        var depth = new Option<int>("-m", "--max-requests") { Description = "Requests in flight (queue depth).", DefaultValueFactory = _ => 32 };
        var blocks = new Option<int>("-b", "--blocks") { Description = "Blocks per request.", DefaultValueFactory = _ => 256 };
        var seconds = new Option<double>("-t", "--seconds") { Description = "Measured seconds (after a 1 s warm-up).", DefaultValueFactory = _ => 10 };
        var random = new Option<bool>("-r", "--random") { Description = "Random block-aligned LBAs instead of sequential." };
        var write = new Option<bool>("--write") { Description = "Write (random data) instead of read. DESTROYS the LUN's data." };
        var inline = new Option<bool>("--inline-completions")
        {
            Description = "Run each completion on the session's receive thread (IscsiSessionOptions.InlineCompletions): one thread hand-off less per I/O.",
        };
        var spin = new Option<double?>("--receive-spin")
        {
            Description = "Microseconds the receive thread looks for the next PDU before it sleeps (IscsiSessionOptions.ReceiveSpin; default 50, 0 = off).",
        };
        var command = new Command("perf", "Measure IOPS, throughput, latency, CPU and allocations against a LUN.") { url, depth, blocks, seconds, random, write, inline, spin };
        common.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(Console.Error, async () =>
        {
            var target = CliRunner.ParseLunUrl(parse.GetValue(url)!);
            var options = new PerfOptions(parse.GetValue(depth), parse.GetValue(blocks), PerfOptions.DurationFrom(parse.GetValue(seconds)),
                parse.GetValue(random), parse.GetValue(write));
            options.Validate();
            var sessionOptions = common.Build(parse, target);
            // The benchmark's loop never blocks after an await, so it may run on the receive thread.
            sessionOptions.InlineCompletions = parse.GetValue(inline);
            if (parse.GetValue(spin) is { } microseconds)
                sessionOptions.ReceiveSpin = PerfOptions.ReceiveSpinFrom(microseconds);
            await using var session = await CliRunner.ConnectAsync(target, sessionOptions, ct).ConfigureAwait(false);
            int lun = target.Lun!.Value;
            await session.TestUnitReadyAsync(lun, ct).ConfigureAwait(false);
            var capacity = await session.ReadCapacityAsync(lun, ct).ConfigureAwait(false);
            var o = Console.Out;
            o.WriteLine($"capacity is {capacity.BlockCount} blocks of {capacity.BlockSize} bytes ({Units.Bytes(capacity.SizeBytes)})");
            o.WriteLine($"performing {(options.Random ? "RANDOM" : "SEQUENTIAL")} {(options.Write ? "WRITE" : "READ")} with {options.QueueDepth} parallel requests");
            o.WriteLine($"FIXED transfer size of {options.BlocksPerRequest} blocks ({options.BlocksPerRequest * capacity.BlockSize} byte)");
            o.WriteLine($"will run for {options.Duration.TotalSeconds:0.#} seconds (after 1 s of warm-up).");
            o.WriteLine($"engine path: one BlockIoChannel per request in flight, completions {(sessionOptions.InlineCompletions ? "inline on the receive thread" : "on the thread pool")}, receive spin {sessionOptions.ReceiveSpin.TotalMicroseconds:0.#} µs");
            var runner = new PerfRunner(session, lun, capacity, options);
            var result = await runner.RunAsync(ct).ConfigureAwait(false);
            foreach (var line in result.Lines()) o.WriteLine(line);
            return result.Errors == 0 ? ExitCodes.Success : ExitCodes.ScsiError;
        }));
        return command;
    }
}
