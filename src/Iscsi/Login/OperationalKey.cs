namespace Iscsi.Login;

/// <summary>One operational key: its rule, legal range and RFC default.</summary>
/// <param name="Name">Key name as on the wire.</param>
/// <param name="Function">Result function.</param>
/// <param name="Minimum">Smallest legal value (numerical keys).</param>
/// <param name="Maximum">Largest legal value (numerical keys).</param>
/// <param name="Default">The value in force when the key is never negotiated.</param>
/// <param name="RelevantToDiscovery">False for the keys RFC 7143 marks "Irrelevant when: SessionType=Discovery".</param>
internal sealed record OperationalKey(string Name, ResultFunction Function, long Minimum, long Maximum, string Default, bool RelevantToDiscovery)
{
    public const string HeaderDigest = "HeaderDigest";
    public const string DataDigest = "DataDigest";
    public const string MaxRecvDataSegmentLength = "MaxRecvDataSegmentLength";
    public const string MaxBurstLength = "MaxBurstLength";
    public const string FirstBurstLength = "FirstBurstLength";
    public const string ImmediateData = "ImmediateData";
    public const string InitialR2T = "InitialR2T";
    public const string MaxOutstandingR2T = "MaxOutstandingR2T";
    public const string DataPduInOrder = "DataPDUInOrder";
    public const string DataSequenceInOrder = "DataSequenceInOrder";
    public const string DefaultTime2Wait = "DefaultTime2Wait";
    public const string DefaultTime2Retain = "DefaultTime2Retain";
    public const string ErrorRecoveryLevel = "ErrorRecoveryLevel";
    public const string MaxConnections = "MaxConnections";

    public const string Crc32C = "CRC32C";
    public const string None = "None";

    /// <summary>RFC 7143 13.12-13.14: data segment and burst lengths are 512 to 2^24-1 bytes.</summary>
    public const long MinLength = 512;
    public const long MaxLength = (1 << 24) - 1;

    /// <summary>The keys we offer, in the order we send them, with RFC 7143 section 13's ranges and defaults.
    /// Note that DataPDUInOrder and DataSequenceInOrder are OR keys in the RFC (13.18, 13.19), like InitialR2T.</summary>
    public static readonly IReadOnlyList<OperationalKey> All =
    [
        new(HeaderDigest, ResultFunction.List, 0, 0, None, true),
        new(DataDigest, ResultFunction.List, 0, 0, None, true),
        new(MaxRecvDataSegmentLength, ResultFunction.Declarative, MinLength, MaxLength, "8192", true),
        new(MaxConnections, ResultFunction.Min, 1, 65535, "1", false),
        new(InitialR2T, ResultFunction.Or, 0, 0, TextValues.Yes, false),
        new(ImmediateData, ResultFunction.And, 0, 0, TextValues.Yes, false),
        new(MaxBurstLength, ResultFunction.Min, MinLength, MaxLength, "262144", false),
        new(FirstBurstLength, ResultFunction.Min, MinLength, MaxLength, "65536", false),
        new(DefaultTime2Wait, ResultFunction.Max, 0, 3600, "2", false),
        new(DefaultTime2Retain, ResultFunction.Min, 0, 3600, "20", false),
        new(MaxOutstandingR2T, ResultFunction.Min, 1, 65535, "1", false),
        new(DataPduInOrder, ResultFunction.Or, 0, 0, TextValues.Yes, false),
        new(DataSequenceInOrder, ResultFunction.Or, 0, 0, TextValues.Yes, false),
        new(ErrorRecoveryLevel, ResultFunction.Min, 0, 2, "0", false),
    ];

    public static OperationalKey? Find(string name)
    {
        foreach (var key in All)
        {
            if (key.Name == name)
                return key;
        }
        return null;
    }
}
