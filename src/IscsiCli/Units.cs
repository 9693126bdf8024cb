using System.Globalization;

namespace IscsiCli;

public static class Units
{
    /// <summary>Binary units, e.g. "64 MiB", "1.5 GiB".</summary>
    public static string Bytes(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return value.ToString(value % 1 == 0 ? "0" : "0.##", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    // A clock that did not move (a tiny transfer on a coarse clock) still gives a number, not infinity.
    private const double MinimumSeconds = 1e-6;
    private const int MaxDecimals = 9;

    /// <summary>A transfer rate in MB/s (10^6 bytes), whole above 100 ("1322 MB/s") and with three significant
    /// digits below ("21.8 MB/s", "0.328 MB/s"): a small or slow transfer keeps its digits instead of "0 MB/s".</summary>
    public static string MegabytesPerSecond(long bytes, TimeSpan elapsed)
    {
        double rate = Math.Max(bytes, 0) / Math.Max(elapsed.TotalSeconds, MinimumSeconds) / 1e6;
        int decimals = 0;
        if (rate > 0)
        {
            int magnitude = (int)Math.Floor(Math.Log10(rate));
            // 9.996 rounds to 10.0, one magnitude up: count the digits of the rounded value.
            if (Math.Round(rate, Math.Clamp(2 - magnitude, 0, MaxDecimals)) >= Math.Pow(10, magnitude + 1)) magnitude++;
            decimals = Math.Clamp(2 - magnitude, 0, MaxDecimals);
        }
        return rate.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " MB/s";
    }
}
