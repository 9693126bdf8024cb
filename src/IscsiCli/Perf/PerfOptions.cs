namespace IscsiCli.Perf;

public sealed record PerfOptions(int QueueDepth, int BlocksPerRequest, TimeSpan Duration, bool Random, bool Write)
{
    /// <summary>-t as a duration. Checked before any TimeSpan exists: NaN or a huge value would otherwise fail
    /// inside TimeSpan with an error that names neither the option nor the value.</summary>
    public static TimeSpan DurationFrom(double seconds)
        => double.IsFinite(seconds) && seconds > 0 && seconds <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new Iscsi.IscsiArgumentException("DurationInvalid", $"-t {seconds} must be above 0 and at most 86400 seconds.");

    /// <summary>--receive-spin (microseconds) as IscsiSessionOptions.ReceiveSpin, checked the same way (against the
    /// session's own limit, so that the two cannot disagree).</summary>
    public static TimeSpan ReceiveSpinFrom(double microseconds)
    {
        double max = Iscsi.IscsiSessionOptions.MaxReceiveSpin.TotalMicroseconds;
        return double.IsFinite(microseconds) && microseconds >= 0 && microseconds <= max
            ? TimeSpan.FromMicroseconds(microseconds)
            : throw new Iscsi.IscsiArgumentException("ReceiveSpinInvalid", $"--receive-spin {microseconds} must be from 0 to {max} µs.");
    }

    public void Validate()
    {
        if (QueueDepth is < 1 or > 1024)
            throw new Iscsi.IscsiArgumentException("QueueDepthInvalid", $"-m {QueueDepth} must be from 1 to 1024.");
        if (BlocksPerRequest is < 1 or > 65536)
            throw new Iscsi.IscsiArgumentException("BlockCountInvalid", $"-b {BlocksPerRequest} must be from 1 to 65536 blocks.");
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(24))
            throw new Iscsi.IscsiArgumentException("DurationInvalid", $"-t {Duration.TotalSeconds} must be above 0 and at most 86400 seconds.");
    }
}
