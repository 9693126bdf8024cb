using System.Globalization;

namespace IscsiModule.Logic;

/// <summary>Byte counts in binary units for people: 512 B, 4.0 KiB, 1.50 GiB (three significant digits).</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Format(ulong bytes)
    {
        if (bytes < 1024) return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        string number = value >= 100 ? value.ToString("0", CultureInfo.InvariantCulture)
            : value >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
            : value.ToString("0.00", CultureInfo.InvariantCulture);
        return $"{number} {Units[unit]}";
    }
}
