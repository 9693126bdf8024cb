namespace IscsiCli.Perf;

public sealed record PerfOptions(int QueueDepth, int BlocksPerRequest, TimeSpan Duration, bool Random, bool Write)
{
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
