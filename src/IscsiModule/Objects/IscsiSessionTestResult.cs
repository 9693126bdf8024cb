namespace IscsiModule;

/// <summary>One NOP-Out ping of Test-IscsiSession, shaped like Test-Connection's ping result.</summary>
public sealed class IscsiSessionTestResult
{
    internal IscsiSessionTestResult(string sessionIdentifier, string nodeAddress, int sequence, bool success,
        TimeSpan? roundTripTime, string? error)
    {
        SessionIdentifier = sessionIdentifier;
        NodeAddress = nodeAddress;
        Sequence = sequence;
        Success = success;
        RoundTripTime = roundTripTime;
        Error = error;
    }

    public string SessionIdentifier { get; }
    public string NodeAddress { get; }
    /// <summary>1 for the first ping.</summary>
    public int Sequence { get; }
    public bool Success { get; }
    public TimeSpan? RoundTripTime { get; }
    /// <summary>Why the ping failed (null on success).</summary>
    public string? Error { get; }

    public override string ToString() => Success
        ? $"{NodeAddress} #{Sequence}: {RoundTripTime?.TotalMilliseconds:0.###} ms"
        : $"{NodeAddress} #{Sequence}: failed ({Error})";
}
