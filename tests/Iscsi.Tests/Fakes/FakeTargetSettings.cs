namespace Iscsi.Tests.Fakes;

/// <summary>How a <see cref="FakeTarget"/> answers the login, and the numbers it starts the session with.</summary>
/// <remarks>Operational answers are combined with the initiator's offer by each key's result function
/// (RFC 7143 section 13), so a setting can only ever produce an answer the RFC allows.</remarks>
internal sealed class FakeTargetSettings
{
    /// <summary>The target's declared MaxRecvDataSegmentLength (bounds the initiator's PDUs).</summary>
    public int MaxRecvDataSegmentLength { get; set; } = 65536;
    /// <summary>Min-ed with the offer.</summary>
    public int MaxBurstLength { get; set; } = 262144;
    /// <summary>Min-ed with the offer.</summary>
    public int FirstBurstLength { get; set; } = 65536;
    /// <summary>AND-ed with the offer.</summary>
    public bool ImmediateData { get; set; } = true;
    /// <summary>OR-ed with the offer.</summary>
    public bool InitialR2T { get; set; }
    /// <summary>OR-ed with the offer (so No only when the initiator offered No too).</summary>
    public bool DataPduInOrder { get; set; } = true;
    /// <summary>Choose CRC32C when the initiator offers it.</summary>
    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }

    /// <summary>Non-zero, as RFC 7143 demands of a completed login.</summary>
    public ushort Tsih { get; set; } = 0x1234;
    /// <summary>The StatSN of the first Login Response.</summary>
    public uint InitialStatSn { get; set; } = 0x100;
    /// <summary>MaxCmdSN in the final Login Response is ExpCmdSN + this - 1 (0 closes the window).</summary>
    public int InitialCommandWindow { get; set; } = 32;
    /// <summary>When set, every command received moves MaxCmdSN to ExpCmdSN + this - 1; null leaves MaxCmdSN to the script.</summary>
    public int? SlidingCommandWindow { get; set; } = 32;

    /// <summary>Refuse the first Login Request with this Status-Class (non-zero) ...</summary>
    public byte RefuseStatusClass { get; set; }
    public byte RefuseStatusDetail { get; set; }
    /// <summary>... and, for a redirect (class 1), this TargetAddress ("host:port,tpgt").</summary>
    public string? RedirectTo { get; set; }

    /// <summary>For hostile logins: called with the exchange number (0 first) and the keys of each Login Request;
    /// a reply it returns is sent instead of the fake's own answer, null lets the fake answer as usual.</summary>
    public Func<int, Iscsi.Login.TextKeyValues, FakeLoginReply?>? LoginOverride { get; set; }
}
