using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Write-IscsiBlock: writes a whole number of blocks from -Data or -Path, pipelined, optionally verified.</summary>
[Cmdlet(VerbsCommunications.Write, "IscsiBlock", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TransferSummary))]
public sealed class WriteIscsiBlockCommand : IscsiCmdlet
{
    private const string SessionSet = "Session";
    private const string IdSet = "SessionIdentifier";
    private const string Activity = "Write-IscsiBlock";

    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public IscsiSessionInfo? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string? SessionIdentifier { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    public int Lun { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public ulong Lba { get; set; }

    /// <summary>The bytes to write: a whole number of blocks.</summary>
    [Parameter]
    public byte[]? Data { get; set; }

    /// <summary>A file whose whole content (a whole number of blocks) is written.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Read the blocks back afterwards and compare.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    [Parameter]
    [ValidateRange(512, TransferOptions.MaxBufferSize)]
    public int BufferSize { get; set; } = TransferOptions.DefaultBufferSize;

    [Parameter]
    [ValidateRange(1, TransferOptions.MaxBufferCount)]
    public int BufferCount { get; set; } = TransferOptions.DefaultBufferCount;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryDo(() => { BlockTransfer.CheckWriteSource(Data, Path); return true; }, Path, out _)) return;
        if (!TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out var session)) return;
        string? file = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        string what = file is null ? $"{Data!.Length} bytes" : $"the content of {file}";
        if (!ShouldProcess($"LUN {Lun} of {session.NodeAddress}", $"Write {what} at LBA {Lba}")) return;

        var options = new TransferOptions { BufferSize = BufferSize, BufferCount = BufferCount };
        var progress = TransferProgressBar(Activity);
        bool ok = TryRunOn(session, async ct =>
        {
            var transfer = await BlockTransfer.OpenAsync(session, Lun, ct).ConfigureAwait(false);
            return file is null
                ? await transfer.WriteAsync(Data, Lba, Verify, options, progress, ct).ConfigureAwait(false)
                : await transfer.WriteFileAsync(file, Lba, Verify, options, progress, ct).ConfigureAwait(false);
        }, session, out var summary);
        CompleteProgress(Activity);
        if (ok && PassThru) WriteObject(summary);
    }
}
