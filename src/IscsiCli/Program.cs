using System.CommandLine;
using IscsiCli;
using IscsiCli.Commands;

// Socket completions run inline on the runtime's socket event thread instead of hopping to a pool thread
// first: one thread hand-off less each time the receive loop waits for the target. Safe for this engine: its
// receive loop never blocks and never runs caller code (completions and events are queued to the thread pool).
// In a 4 KiB random-read run it halved our context switches per I/O (bench/compare.sh, docs/performance.md).
// This process only (the variable is read when the first socket is created); a value the user set wins, and
// a host such as PowerShell keeps its own setting.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
    Environment.SetEnvironmentVariable(InlineCompletions, "1");

var common = new SessionOptionsBinder();
var root = new RootCommand("iscsi: a userspace iSCSI initiator (IscsiModule's command-line front end).")
{
    DiscoverCommand.Create(common),
    LunsCommand.Create(common),
    InquiryCommand.Create(common),
    CapacityCommand.Create(common),
    ReadCommand.Create(common),
    WriteCommand.Create(common),
    PingCommand.Create(common),
    PerfCommand.Create(common),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
