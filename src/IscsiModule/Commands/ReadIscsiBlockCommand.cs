using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Read-IscsiBlock: reads blocks into one byte[] (written unenumerated, for Format-Hex / Set-Content
/// -AsByteStream), or streams any number of them to -Path with a bounded, pipelined read-ahead.</summary>
[Cmdlet(VerbsCommunications.Read, "IscsiBlock", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(byte[]), typeof(TransferSummary))]
public sealed class ReadIscsiBlockCommand : IscsiSessionCmdlet
{
    private const string Activity = "Read-IscsiBlock";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    [ArgumentCompleter(typeof(LunCompleter))]
    public int Lun { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public ulong Lba { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(1L, long.MaxValue)]
    public long BlockCount { get; set; }

    /// <summary>Stream to this file (created or overwritten) instead of returning a byte[].</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    [ValidateRange(512, TransferOptions.MaxBufferSize)]
    public int BufferSize { get; set; } = TransferOptions.DefaultBufferSize;

    [Parameter]
    [ValidateRange(1, TransferOptions.MaxBufferCount)]
    public int BufferCount { get; set; } = TransferOptions.DefaultBufferCount;

    protected override void ProcessRecord()
    {
        if (!TryResolveSession(out var session)) return;
        var options = new TransferOptions { BufferSize = BufferSize, BufferCount = BufferCount };
        var bar = NewTransferProgressBar(Activity);
        try
        {
            if (Path is null)
            {
                if (TryRunOn(session, async ct =>
                    {
                        var transfer = await BlockTransfer.OpenAsync(session, Lun, ct).ConfigureAwait(false);
                        return await transfer.ReadAsync(Lba, (ulong)BlockCount, options, bar.Reporter, ct).ConfigureAwait(false);
                    }, session, out var data))
                    WriteObject(data, enumerateCollection: false);
            }
            else
            {
                string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
                if (TryRunOn(session, async ct =>
                    {
                        var transfer = await BlockTransfer.OpenAsync(session, Lun, ct).ConfigureAwait(false);
                        return await transfer.ReadToFileAsync(file, Lba, (ulong)BlockCount, options, bar.Reporter, ct).ConfigureAwait(false);
                    }, session, out var summary))
                    WriteObject(summary);
            }
        }
        finally
        {
            bar.Complete();
        }
    }
}
