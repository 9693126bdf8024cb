using Iscsi.Scsi;

namespace IscsiModule.Logic;

/// <summary>What ShouldProcess is told about a raw CDB: whether to ask at all, and the words to ask with.</summary>
public sealed record CommandDecision(bool ChangesData, string CommandName, string Target, string Action);

/// <summary>Invoke-ScsiCommand / Start-ScsiCommand's ShouldProcess decision. A CDB that may change data or device
/// state - every opcode the engine does not know to be harmless, unknown ones included - goes through
/// ShouldProcess; a read-only one (READ, INQUIRY, MODE SENSE...) runs without asking, even under -Confirm.</summary>
public static class CommandClassifier
{
    public static CommandDecision Classify(ReadOnlySpan<byte> cdb, int lun, string nodeAddress)
    {
        string name = cdb.IsEmpty ? "(empty CDB)" : CdbInfo.Name(cdb[0]);
        return new CommandDecision(CdbInfo.IsDataChanging(cdb), name, $"LUN {lun} of {nodeAddress}",
            $"Send {name} (CDB {Convert.ToHexString(cdb)})");
    }
}
