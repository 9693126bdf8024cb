using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Write-IscsiBlock: writes a whole number of blocks from -Data, piped bytes or -Path, pipelined, optionally
/// verified. Piped data (a Read-IscsiBlock's byte[], Get-Content -AsByteStream's bytes) is gathered and written as
/// one transfer from -Lba when the pipeline ends.</summary>
[Cmdlet(VerbsCommunications.Write, "IscsiBlock", DefaultParameterSetName = SessionSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TransferSummary))]
public sealed class WriteIscsiBlockCommand : IscsiSessionCmdlet
{
    private const string Activity = "Write-IscsiBlock";

    private PipedBytes? _piped;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    [ArgumentCompleter(typeof(LunCompleter))]
    public int Lun { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public ulong Lba { get; set; }

    /// <summary>The bytes to write: a whole number of blocks. From the pipeline: every piped byte[] (or byte) in order.</summary>
    [Parameter(ValueFromPipeline = true)]
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

    protected override void BeginProcessing()
    {
        // -Data not given as a parameter but expected from the pipeline: gather it (see EndProcessing).
        if (!IsBound(nameof(Data)) && MyInvocation.ExpectingInput && Path is null) _piped = new PipedBytes();
    }

    protected override void ProcessRecord()
    {
        if (_piped is null)
        {
            Write(Data);
            return;
        }
        if (Data is null)
        {
            // What came down the pipe was a session, with no data to write to it.
            WriteMappedError(new Iscsi.IscsiArgumentException("DataSourceMissing",
                "A session came down the pipeline but no data: give the bytes with -Data or the file with -Path."), Session);
            return;
        }
        if (!TryDo(() => { _piped.Add(Data); return true; }, null, out _)) _piped.Fail();
    }

    protected override void EndProcessing()
    {
        if (_piped is { Failed: false, Length: > 0 }) Write(_piped.ToArray());
    }

    private void Write(byte[]? data)
    {
        if (!TryDo(() => { BlockTransfer.CheckWriteSource(data, Path); return true; }, Path, out _)) return;
        if (!TryResolveSession(out var session)) return;
        string? file = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        string what = file is null ? $"{data!.Length} bytes" : $"the content of {file}";
        if (!ShouldProcess($"LUN {Lun} of {session.NodeAddress}", $"Write {what} at LBA {Lba}")) return;

        var options = new TransferOptions { BufferSize = BufferSize, BufferCount = BufferCount };
        var bar = NewTransferProgressBar(Activity);
        bool ok;
        TransferSummary summary;
        try
        {
            ok = TryRunOn(session, async ct =>
            {
                var transfer = await BlockTransfer.OpenAsync(session, Lun, ct).ConfigureAwait(false);
                return file is null
                    ? await transfer.WriteAsync(data, Lba, Verify, options, bar.Reporter, ct).ConfigureAwait(false)
                    : await transfer.WriteFileAsync(file, Lba, Verify, options, bar.Reporter, ct).ConfigureAwait(false);
            }, session, out summary);
        }
        finally
        {
            bar.Complete();
        }
        if (ok && PassThru) WriteObject(summary);
    }
}
