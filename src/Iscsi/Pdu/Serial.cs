namespace Iscsi.Pdu;

/// <summary>RFC 1982 serial number arithmetic on 32-bit sequence numbers (CmdSN, StatSN, DataSN...),
/// as RFC 7143 4.2.2.1 requires: numbers wrap, and "a is before b" means b lies less than 2^31 ahead of a.</summary>
/// <remarks>Two numbers exactly 2^31 apart are unordered: none of the comparisons holds for them.</remarks>
public static class Serial
{
    private const uint HalfRange = 0x8000_0000;

    /// <summary>a &lt; b: b is 1 to 2^31-1 steps ahead of a, counting with wrap-around.</summary>
    public static bool LessThan(uint a, uint b)
    {
        uint stepsAhead = unchecked(b - a);
        return stepsAhead != 0 && stepsAhead < HalfRange;
    }

    public static bool GreaterThan(uint a, uint b) => LessThan(b, a);

    public static bool LessOrEqual(uint a, uint b) => a == b || LessThan(a, b);

    public static bool GreaterOrEqual(uint a, uint b) => a == b || LessThan(b, a);

    /// <summary>Can a command with this CmdSN be sent: ExpCmdSN &lt;= sn &lt;= MaxCmdSN serially.</summary>
    /// <remarks>MaxCmdSN = ExpCmdSN - 1 is the target closing the window, so nothing fits. A MaxCmdSN further
    /// behind than that is invalid (RFC 7143 4.2.2.1 says to ignore it) and also admits nothing.</remarks>
    public static bool InWindow(uint sn, uint expCmdSn, uint maxCmdSn)
    {
        uint windowSpan = unchecked(maxCmdSn - expCmdSn);   // window size - 1; 0xFFFFFFFF when closed
        uint offset = unchecked(sn - expCmdSn);
        return windowSpan < HalfRange && offset <= windowSpan;
    }
}
