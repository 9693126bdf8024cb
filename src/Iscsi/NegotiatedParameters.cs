namespace Iscsi;

/// <summary>The operational values in force after login (RFC 7143 section 13), as agreed with the target.</summary>
public sealed class NegotiatedParameters
{
    public bool HeaderDigest { get; init; }
    public bool DataDigest { get; init; }
    /// <summary>The most we accept in one PDU's data segment (what we declared).</summary>
    public int MaxRecvDataSegmentLength { get; init; } = 8192;
    /// <summary>The most the target accepts in one PDU's data segment (what it declared); bounds our Data-Out PDUs.</summary>
    public int TargetMaxRecvDataSegmentLength { get; init; } = 8192;
    public int MaxBurstLength { get; init; } = 262144;
    public int FirstBurstLength { get; init; } = 65536;
    public bool ImmediateData { get; init; } = true;
    public bool InitialR2T { get; init; } = true;
    public int MaxOutstandingR2T { get; init; } = 1;
    public bool DataPduInOrder { get; init; } = true;
    public bool DataSequenceInOrder { get; init; } = true;
    public int DefaultTime2Wait { get; init; } = 2;
    public int DefaultTime2Retain { get; init; } = 20;
    public int ErrorRecoveryLevel { get; init; }
    public int MaxConnections { get; init; } = 1;
    public string? TargetAlias { get; init; }
    public ushort TargetPortalGroupTag { get; init; }
    /// <summary>"None" or "CHAP".</summary>
    public string AuthMethod { get; init; } = "None";
    /// <summary>The CHAP digest used (null when AuthMethod is None).</summary>
    public string? ChapAlgorithm { get; init; }
    public bool MutualChap { get; init; }
}
