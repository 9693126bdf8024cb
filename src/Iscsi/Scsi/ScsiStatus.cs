namespace Iscsi.Scsi;

/// <summary>SCSI status codes (SAM-5 table 40).</summary>
public enum ScsiStatus : byte
{
    Good = 0x00,
    CheckCondition = 0x02,
    ConditionMet = 0x04,
    Busy = 0x08,
    ReservationConflict = 0x18,
    TaskSetFull = 0x28,
    AcaActive = 0x30,
    TaskAborted = 0x40,
}

/// <summary>Whether the target moved less (underflow) or would have moved more (overflow) data than expected.</summary>
public enum ResidualKind { None, Underflow, Overflow }

/// <summary>Task attribute of a SCSI command (RFC 7143 11.3.1 ATTR field).</summary>
public enum TaskAttribute : byte { Untagged = 0, Simple = 1, Ordered = 2, HeadOfQueue = 3, Aca = 4 }
