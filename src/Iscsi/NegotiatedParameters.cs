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

    /// <summary>The values an admin checks first, on one line: "HeaderDigest=CRC32C DataDigest=None MaxRecv=1 MiB/8 KiB
    /// MaxBurst=256 KiB FirstBurst=64 KiB ImmediateData=Yes InitialR2T=No MaxOutstandingR2T=1 ERL=0 Auth=CHAP(SHA256)".</summary>
    public override string ToString()
        => $"HeaderDigest={Digest(HeaderDigest)} DataDigest={Digest(DataDigest)} MaxRecv={Size(MaxRecvDataSegmentLength)}/{Size(TargetMaxRecvDataSegmentLength)} " +
           $"MaxBurst={Size(MaxBurstLength)} FirstBurst={Size(FirstBurstLength)} ImmediateData={YesNo(ImmediateData)} InitialR2T={YesNo(InitialR2T)} " +
           $"MaxOutstandingR2T={MaxOutstandingR2T} ERL={ErrorRecoveryLevel} Auth={AuthMethod}{(ChapAlgorithm is null ? "" : $"({ChapAlgorithm}{(MutualChap ? ", mutual" : "")})")}";

    private static string Digest(bool on) => on ? "CRC32C" : "None";
    private static string YesNo(bool on) => on ? "Yes" : "No";
    private static string Size(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} B";
}
