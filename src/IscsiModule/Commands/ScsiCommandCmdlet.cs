using System.Management.Automation;
using Iscsi.Scsi;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>
/// What Invoke-ScsiCommand and Start-ScsiCommand share: the raw command's parameters, building it, and the
/// ShouldProcess decision. A CDB that may change data asks first (-Confirm, ConfirmImpact High); under -WhatIf
/// nothing at all goes on the wire, read-only CDBs included.
/// </summary>
public abstract class ScsiCommandCmdlet : IscsiSessionCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 16383)]
    [ArgumentCompleter(typeof(LunCompleter))]
    public int Lun { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public byte[] Cdb { get; set; } = [];

    [Parameter]
    [ValidateRange(0, ScsiCommandFactory.MaxDataInLength)]
    public int DataInLength { get; set; }

    [Parameter]
    public byte[]? DataOut { get; set; }

    [Parameter]
    [ValidateRange(1, ScsiCommandFactory.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    /// <summary>Return every UNIT ATTENTION, including the power-on/reset one the session otherwise absorbs.</summary>
    [Parameter]
    public SwitchParameter RawUnitAttention { get; set; }

    /// <summary>The session and the command to send, once ShouldProcess agreed; false when there is nothing to send
    /// (an error was written, or -WhatIf / a "no" at the prompt).</summary>
    private protected bool TryPrepare(out IscsiSessionInfo session, out ScsiCommand command)
    {
        command = null!;
        if (!TryResolveSession(out session)) return false;
        if (!TryDo(() => ScsiCommandFactory.Create(Lun, Cdb, DataInLength, DataOut, TimeoutSec, RawUnitAttention), Cdb, out var built)) return false;
        var decision = CommandClassifier.Classify(Cdb, Lun, session.NodeAddress);
        if ((decision.ChangesData || IsWhatIf) && !ShouldProcess(decision.Target, decision.Action)) return false;
        command = built;
        return true;
    }
}
