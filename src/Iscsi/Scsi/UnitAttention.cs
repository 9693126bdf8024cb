namespace Iscsi.Scsi;

/// <summary>
/// The session's one rule for UNIT ATTENTION. A device reports a unit attention condition once per I_T nexus, on
/// whatever command comes next, and that command is not executed (SAM-5 5.14; INQUIRY, REPORT LUNS and REQUEST SENSE
/// are the exceptions and never report it). So sending the command again is always safe; what matters is whether
/// the caller should hear about the condition.
/// <list type="bullet">
/// <item>Power on, reset or I_T nexus loss (ASC 29h, any qualifier) is absorbed: every new session (and every
/// reconnect) makes a new nexus, and the device says so on its first command. The command is sent again, the
/// session counts it (<c>Statistics.UnitAttentionsAbsorbed</c>) and raises <c>UnitAttentionReceived</c>.
/// <see cref="ScsiCommand.RawUnitAttention"/> opts a command out.</item>
/// <item>Everything else (CAPACITY DATA HAS CHANGED 2Ah/09h, REPORTED LUNS DATA HAS CHANGED 3Fh/0Eh, NOT READY TO
/// READY 28h, MODE PARAMETERS CHANGED 2Ah/01h...) reaches the caller as the CHECK CONDITION it is: the LU changed
/// under us, and only the caller knows whether what it is doing still makes sense.</item>
/// </list>
/// Either way the session forgets what it remembered about the LU (<see cref="ForgetsEveryLun"/>).
/// </summary>
public static class UnitAttention
{
    /// <summary>POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h) and its qualifiers (29h/07h I_T NEXUS LOSS...).</summary>
    public const byte ResetOccurredAsc = 0x29;

    /// <summary>PARAMETERS CHANGED; with qualifier 09h CAPACITY DATA HAS CHANGED.</summary>
    public const byte ParametersChangedAsc = 0x2A;
    public const byte CapacityDataChangedAscq = 0x09;

    /// <summary>TARGET OPERATING CONDITIONS HAVE CHANGED; with qualifier 0Eh REPORTED LUNS DATA HAS CHANGED.</summary>
    public const byte OperatingConditionsChangedAsc = 0x3F;
    public const byte ReportedLunsChangedAscq = 0x0E;

    /// <summary>The sense data reports a unit attention condition.</summary>
    public static bool Is(SenseData? sense) => sense?.SenseKey == SenseKey.UnitAttention;

    /// <summary>The condition the session absorbs by sending the command again: power on, reset, nexus loss.</summary>
    public static bool IsAbsorbed(SenseData? sense) => Is(sense) && sense!.Asc == ResetOccurredAsc;

    /// <summary>The condition concerns the whole target's set of LUs (REPORTED LUNS DATA HAS CHANGED): forget every
    /// LU, not only the one that reported it.</summary>
    public static bool ForgetsEveryLun(SenseData? sense)
        => Is(sense) && sense!.Asc == OperatingConditionsChangedAsc && sense.Ascq == ReportedLunsChangedAscq;
}
