using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>Small helpers the integration tests share: connect to one of the fixture's targets.</summary>
internal static class TargetSession
{
    public static Task<IscsiSession> ConnectDiskAsync(this TestTarget target, IscsiSessionOptions? options = null)
        => IscsiSession.ConnectAsync(target.Host, target.Port, target.DiskIqn, options ?? Fast());

    /// <summary>Logs in to the target that holds <paramref name="lun"/> (on istgt the 4096-byte and read-only LUNs
    /// are on targets of their own; on tgtd everything unauthenticated is on the disk target).</summary>
    public static Task<IscsiSession> ConnectAsync(this TestTarget target, TargetLun lun, IscsiSessionOptions? options = null)
        => IscsiSession.ConnectAsync(target.Host, target.Port, lun.Iqn, options ?? Fast());

    public static IscsiSessionOptions Fast() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        LoginTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(20),
    };

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Reads the backing file directly: what is on the "disk", independent of our initiator.</summary>
    public static byte[] ReadBackingFile(TargetLun lun, long offset, int length)
    {
        using var file = new FileStream(lun.BackingFile!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Position = offset;
        var data = new byte[length];
        file.ReadExactly(data);
        return data;
    }

    public static void WriteBackingFile(TargetLun lun, long offset, byte[] data)
    {
        using var file = new FileStream(lun.BackingFile!, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Position = offset;
        file.Write(data);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="limit"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still not true after {limit.TotalSeconds:0} s: {what}.");
            await Task.Delay(20);
        }
    }
}
