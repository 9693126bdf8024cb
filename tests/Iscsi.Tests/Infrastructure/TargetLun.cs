namespace Iscsi.Tests.Infrastructure;

/// <summary>One logical unit of a throwaway test target, as tgt-target.sh or istgt-target.sh created it.</summary>
/// <param name="Iqn">The target it belongs to.</param>
/// <param name="Number">The LUN.</param>
/// <param name="BackingFile">The sparse file behind it, or null for a tgtd <c>--bstype null</c> LUN.</param>
/// <param name="BlockSize">Logical block length in bytes.</param>
/// <param name="BlockCount">Number of logical blocks (READ CAPACITY's returned LBA + 1).</param>
/// <param name="ReadOnly">Whether the target refuses writes to it.</param>
public sealed record TargetLun(string Iqn, int Number, string? BackingFile, int BlockSize, long BlockCount, bool ReadOnly)
{
    public long SizeInBytes => BlockSize * BlockCount;

    /// <summary>Reads and writes return zeros / vanish: no file to compare against.</summary>
    public bool IsNullBacked => BackingFile is null;

    /// <summary>Reads the LUN's key group (e.g. DISK_LUN3_*) from target.env. <c>&lt;prefix&gt;_IQN</c>, when present,
    /// overrides <paramref name="iqn"/>: istgt gives a LUN with another block length or read-only flag a target of its own.</summary>
    public static TargetLun FromEnv(TargetEnvFile env, string prefix, string iqn, int number) => new(
        env.Find($"{prefix}_IQN") ?? iqn,
        number,
        env.Find($"{prefix}_FILE"),
        env.RequireInt32($"{prefix}_BLOCK_SIZE"),
        env.RequireInt64($"{prefix}_BLOCKS"),
        env.Find($"{prefix}_READONLY") == "1");
}
