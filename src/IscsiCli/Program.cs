using System.CommandLine;
using IscsiCli;
using IscsiCli.Commands;

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
return await ParserOutput.InvokeAsync(root.Parse(args), args).ConfigureAwait(false);
