namespace Iscsi.Scsi;

/// <summary>Caching mode page, 08h (SBC-4 6.5.5).</summary>
/// <remarks><code>
/// 2     | IC (7) | ABPF (6) | CAP (5) | DISC (4) | SIZE (3) | WCE (2) | MF (1) | RCD (0) |
/// 3     | DEMAND READ RETENTION PRIORITY (7-4) | WRITE RETENTION PRIORITY (3-0)          |
/// 4-5   | DISABLE PRE-FETCH TRANSFER LENGTH                                             |
/// 6-7   | MINIMUM PRE-FETCH | 8-9 MAXIMUM PRE-FETCH | 10-11 MAXIMUM PRE-FETCH CEILING    |
/// 12    | FSW (7) | LBCSS (6) | DRA (5) | NV_DIS (0)                                     |
/// 13    | NUMBER OF CACHE SEGMENTS | 14-15 CACHE SEGMENT SIZE                            |
/// </code></remarks>
public sealed class CachingModePage
{
    public const byte Code = 0x08;

    public CachingModePage(ModePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Page = page;
    }

    public ModePage Page { get; }
    private ReadOnlySpan<byte> P => Page.Raw;

    /// <summary>WCE: write-back cache enabled.</summary>
    public bool WriteCacheEnabled => ScsiData.BitAt(P, 2, 2);
    /// <summary>RCD: read cache disabled.</summary>
    public bool ReadCacheDisabled => ScsiData.BitAt(P, 2, 0);
    public bool MultiplicationFactor => ScsiData.BitAt(P, 2, 1);
    public bool Discontinuity => ScsiData.BitAt(P, 2, 4);
    public bool CachingAnalysisPermitted => ScsiData.BitAt(P, 2, 5);
    public bool AbortPrefetch => ScsiData.BitAt(P, 2, 6);
    public bool InitiatorControl => ScsiData.BitAt(P, 2, 7);
    public byte DemandReadRetentionPriority => (byte)(ScsiData.ByteAt(P, 3) >> 4);
    public byte WriteRetentionPriority => (byte)(ScsiData.ByteAt(P, 3) & 0x0F);
    public ushort DisablePrefetchTransferLength => ScsiData.U16At(P, 4);
    public ushort MinimumPrefetch => ScsiData.U16At(P, 6);
    public ushort MaximumPrefetch => ScsiData.U16At(P, 8);
    public ushort MaximumPrefetchCeiling => ScsiData.U16At(P, 10);
    public bool ForceSequentialWrite => ScsiData.BitAt(P, 12, 7);
    /// <summary>DRA: read-ahead disabled.</summary>
    public bool DisableReadAhead => ScsiData.BitAt(P, 12, 5);
    public bool NonVolatileCacheDisabled => ScsiData.BitAt(P, 12, 0);
    public byte NumberOfCacheSegments => ScsiData.ByteAt(P, 13);
    public ushort CacheSegmentSize => ScsiData.U16At(P, 14);
}
