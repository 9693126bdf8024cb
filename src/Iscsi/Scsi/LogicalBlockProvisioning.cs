namespace Iscsi.Scsi;

/// <summary>PROVISIONING TYPE (SBC-4 table 268).</summary>
public enum ProvisioningType : byte
{
    /// <summary>Fully provisioned, or not reported.</summary>
    FullOrNotReported = 0,
    ResourceProvisioned = 1,
    ThinProvisioned = 2,
}

/// <summary>Logical Block Provisioning page, B2h (SBC-4 6.6.6).</summary>
/// <remarks><code>
/// 4 | THRESHOLD EXPONENT                                                      |
/// 5 | LBPU (7) | LBPWS (6) | LBPWS10 (5) | LBPRZ (4-2) | ANC_SUP (1) | DP (0) |
/// 6 | MINIMUM PERCENTAGE (7-3) | PROVISIONING TYPE (2-0)                      |
/// 7 | THRESHOLD PERCENTAGE                                                    |
/// </code></remarks>
public sealed class LogicalBlockProvisioning
{
    private LogicalBlockProvisioning() { }

    public byte ThresholdExponent { get; private init; }
    /// <summary>LBPU: UNMAP is supported.</summary>
    public bool Lbpu { get; private init; }
    /// <summary>LBPWS: WRITE SAME(16) with UNMAP is supported.</summary>
    public bool Lbpws { get; private init; }
    /// <summary>LBPWS10: WRITE SAME(10) with UNMAP is supported.</summary>
    public bool Lbpws10 { get; private init; }
    /// <summary>The 3-bit LBPRZ field (0: unmapped blocks read undefined; 1: zero; 2: provisioning initialization pattern).</summary>
    public byte LbprzField { get; private init; }
    /// <summary>Unmapped blocks read as zero (LBPRZ field 001b).</summary>
    public bool Lbprz => LbprzField == 1;
    public bool AncSup { get; private init; }
    /// <summary>DP: a Provisioning Group Descriptor follows.</summary>
    public bool Dp { get; private init; }
    public byte MinimumPercentage { get; private init; }
    public ProvisioningType ProvisioningType { get; private init; }
    public byte ThresholdPercentage { get; private init; }

    public static LogicalBlockProvisioning Parse(ReadOnlySpan<byte> data)
    {
        var body = VpdPage.Body(data, VpdPage.LogicalBlockProvisioning, "Logical Block Provisioning");
        byte flags = ScsiData.ByteAt(body, 1);
        byte type = ScsiData.ByteAt(body, 2);
        return new LogicalBlockProvisioning
        {
            ThresholdExponent = ScsiData.ByteAt(body, 0),
            Lbpu = (flags & 0x80) != 0,
            Lbpws = (flags & 0x40) != 0,
            Lbpws10 = (flags & 0x20) != 0,
            LbprzField = (byte)(flags >> 2 & 0x07),
            AncSup = (flags & 0x02) != 0,
            Dp = (flags & 0x01) != 0,
            MinimumPercentage = (byte)(type >> 3),
            ProvisioningType = (ProvisioningType)(type & 0x07),
            ThresholdPercentage = ScsiData.ByteAt(body, 3),
        };
    }
}
