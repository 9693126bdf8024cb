namespace Iscsi.Scsi;

/// <summary>Read-Write Error Recovery mode page, 01h (SBC-4 6.5.9).</summary>
/// <remarks><code>
/// 2     | AWRE (7) | ARRE (6) | TB (5) | RC (4) | EER (3) | PER (2) | DTE (1) | DCR (0) |
/// 3     | READ RETRY COUNT                                                             |
/// 7     | LBPERE (7)                                                                   |
/// 8     | WRITE RETRY COUNT                                                            |
/// 10-11 | RECOVERY TIME LIMIT (ms)                                                     |
/// </code></remarks>
public sealed class ReadWriteErrorRecoveryModePage
{
    public const byte Code = 0x01;

    public ReadWriteErrorRecoveryModePage(ModePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Page = page;
    }

    public ModePage Page { get; }
    private ReadOnlySpan<byte> P => Page.Raw;

    /// <summary>AWRE: automatic write reallocation enabled.</summary>
    public bool AutomaticWriteReallocation => ScsiData.BitAt(P, 2, 7);
    /// <summary>ARRE: automatic read reallocation enabled.</summary>
    public bool AutomaticReadReallocation => ScsiData.BitAt(P, 2, 6);
    public bool TransferBlock => ScsiData.BitAt(P, 2, 5);
    public bool ReadContinuous => ScsiData.BitAt(P, 2, 4);
    public bool EnableEarlyRecovery => ScsiData.BitAt(P, 2, 3);
    public bool PostError => ScsiData.BitAt(P, 2, 2);
    public bool DataTerminateOnError => ScsiData.BitAt(P, 2, 1);
    public bool DisableCorrection => ScsiData.BitAt(P, 2, 0);
    public byte ReadRetryCount => ScsiData.ByteAt(P, 3);
    public bool LogicalBlockProvisioningErrorReporting => ScsiData.BitAt(P, 7, 7);
    public byte WriteRetryCount => ScsiData.ByteAt(P, 8);
    public ushort RecoveryTimeLimit => ScsiData.U16At(P, 10);
}
