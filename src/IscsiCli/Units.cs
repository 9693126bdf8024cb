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

    /// <summary>A transfer rate in MB/s (10^6 bytes) with as many digits as it needs: "1234 MB/s", "12.3 MB/s", "0.042 MB/s".</summary>
    public static string Rate(ulong bytes, TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero) return "? MB/s";
        double rate = bytes / elapsed.TotalSeconds / 1e6;
        string format = rate >= 100 ? "0" : rate >= 10 ? "0.0" : rate >= 1 ? "0.00" : "0.000";
        return rate.ToString(format, CultureInfo.InvariantCulture) + " MB/s";
    }
}
