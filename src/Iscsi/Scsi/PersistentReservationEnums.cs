namespace Iscsi.Scsi;

/// <summary>PERSISTENT RESERVE IN service actions (SPC-5 table 167).</summary>
public enum PersistentReserveInServiceAction : byte
{
    ReadKeys = 0x00,
    ReadReservation = 0x01,
    ReportCapabilities = 0x02,
    ReadFullStatus = 0x03,
}

/// <summary>PERSISTENT RESERVE OUT service actions (SPC-5 table 189).</summary>
public enum PersistentReserveOutServiceAction : byte
{
    Register = 0x00,
    Reserve = 0x01,
    Release = 0x02,
    Clear = 0x03,
    Preempt = 0x04,
    PreemptAndAbort = 0x05,
    RegisterAndIgnoreExistingKey = 0x06,
    RegisterAndMove = 0x07,
    ReplaceLostReservation = 0x08,
}

/// <summary>Persistent reservation TYPE (SPC-5 table 176); 0 means none / not applicable.</summary>
public enum PersistentReservationType : byte
{
    None = 0x0,
    WriteExclusive = 0x1,
    ExclusiveAccess = 0x3,
    WriteExclusiveRegistrantsOnly = 0x5,
    ExclusiveAccessRegistrantsOnly = 0x6,
    WriteExclusiveAllRegistrants = 0x7,
    ExclusiveAccessAllRegistrants = 0x8,
}
