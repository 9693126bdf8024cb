namespace Iscsi.Scsi;

/// <summary>Control mode page, 0Ah (SPC-5 7.5.10).</summary>
/// <remarks><code>
/// 2     | TST (7-5) | TMF_ONLY (4) | DPICZ (3) | D_SENSE (2) | GLTSD (1) | RLEC (0) |
/// 3     | QUEUE ALGORITHM MODIFIER (7-4) | NUAR (3) | QERR (2-1)                    |
/// 4     | VS (7) | RAC (6) | UA_INTLCK_CTRL (5-4) | SWP (3)                         |
/// 5     | ATO (7) | TAS (6) | ATMPE (5) | RWWP (4) | SBLP (3) | AUTOLOAD MODE (2-0) |
/// 8-9   | BUSY TIMEOUT PERIOD | 10-11 EXTENDED SELF-TEST COMPLETION TIME          |
/// </code></remarks>
public sealed class ControlModePage
{
    public const byte Code = 0x0A;

    public ControlModePage(ModePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Page = page;
    }

    public ModePage Page { get; }
    private ReadOnlySpan<byte> P => Page.Raw;

    public byte TaskSetType => (byte)(ScsiData.ByteAt(P, 2) >> 5);
    public bool TmfOnly => ScsiData.BitAt(P, 2, 4);
    public bool Dpicz => ScsiData.BitAt(P, 2, 3);
    /// <summary>D_SENSE: the device returns descriptor-format sense data.</summary>
    public bool DescriptorSense => ScsiData.BitAt(P, 2, 2);
    public bool GlobalLoggingTargetSaveDisable => ScsiData.BitAt(P, 2, 1);
    public bool ReportLogExceptionCondition => ScsiData.BitAt(P, 2, 0);
    public byte QueueAlgorithmModifier => (byte)(ScsiData.ByteAt(P, 3) >> 4);
    public bool Nuar => ScsiData.BitAt(P, 3, 3);
    public byte QueueErrorManagement => (byte)(ScsiData.ByteAt(P, 3) >> 1 & 0x03);
    public bool ReportACheck => ScsiData.BitAt(P, 4, 6);
    public byte UnitAttentionInterlocksControl => (byte)(ScsiData.ByteAt(P, 4) >> 4 & 0x03);
    /// <summary>SWP: software write protect.</summary>
    public bool SoftwareWriteProtect => ScsiData.BitAt(P, 4, 3);
    public bool ApplicationTagOwner => ScsiData.BitAt(P, 5, 7);
    /// <summary>TAS: aborted tasks get TASK ABORTED status.</summary>
    public bool TaskAbortedStatus => ScsiData.BitAt(P, 5, 6);
    public byte AutoloadMode => (byte)(ScsiData.ByteAt(P, 5) & 0x07);
    /// <summary>BUSY TIMEOUT PERIOD in 100 ms units (FFFFh unlimited).</summary>
    public ushort BusyTimeoutPeriod => ScsiData.U16At(P, 8);
    /// <summary>EXTENDED SELF-TEST COMPLETION TIME in seconds.</summary>
    public ushort ExtendedSelfTestCompletionTime => ScsiData.U16At(P, 10);
}
