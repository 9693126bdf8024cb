using System.Globalization;

namespace IscsiModule.Logic;

/// <summary>The words of a transfer's progress bar: "Reading: 512 MiB of 1.00 GiB, 350 MB/s".</summary>
public static class ProgressText
{
    public static string Describe(TransferProgress progress, double bytesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(progress);
        string rate = bytesPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $", {bytesPerSecond / 1e6:0.#} MB/s") : "";
        return $"{progress.Phase}: {ByteSize.Format(progress.BytesDone)} of {ByteSize.Format(progress.TotalBytes)}{rate}";
    }
}
