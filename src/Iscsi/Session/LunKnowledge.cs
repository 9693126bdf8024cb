using System.Collections.Concurrent;
using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>What identifies a LU to the session: its LU designators (VPD 83h, association "logical unit", so that a
/// failover to another port does not look like another LU), its serial number (VPD 80h) and its capacity.</summary>
internal sealed record LunIdentity(string Designators, string? SerialNumber, int BlockSize, ulong BlockCount)
{
    public override string ToString()
        => $"{(Designators.Length > 0 ? Designators : "no designators")}, serial {SerialNumber ?? "none"}, {BlockCount} blocks of {BlockSize} bytes";

    /// <summary>Only what differs between <paramref name="before"/> and this identity, in words ("serial was A, is now B;
    /// capacity was ..."): the part of an error message an administrator needs.</summary>
    public string DifferencesFrom(LunIdentity before)
    {
        var parts = new List<string>(3);
        if (BlockSize != before.BlockSize || BlockCount != before.BlockCount)
            parts.Add($"capacity was {before.BlockCount} blocks of {before.BlockSize} bytes, is now {BlockCount} blocks of {BlockSize} bytes");
        if (SerialNumber != before.SerialNumber)
            parts.Add($"unit serial number (VPD 80h) was {before.SerialNumber ?? "none"}, is now {SerialNumber ?? "none"}");
        if (Designators != before.Designators)
            parts.Add($"designators (VPD 83h) were {Or(before.Designators)}, are now {Or(Designators)}");
        return string.Join("; ", parts);

        static string Or(string designators) => designators.Length > 0 ? designators : "none";
    }

    public static string Of(DeviceIdentification? identification)
        => identification is null ? ""
            : string.Join("; ", identification.Designators
                .Where(d => d.Association == DesignatorAssociation.LogicalUnit)
                .Select(d => $"{d.DesignatorType}:{Render(d)}"));

    /// <summary>A T10 vendor ID designator is text (vendor, then vendor-specific): shown as text, with the target's
    /// characters made safe; binary designators (NAA, EUI-64, ...) in hex.</summary>
    private static string Render(Designator d)
    {
        var text = d.Identifier.AsSpan().TrimEnd((byte)0);
        return d.DesignatorType == DesignatorType.T10VendorId && !text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E)
            ? "\"" + System.Text.Encoding.ASCII.GetString(text).TrimEnd() + "\""
            : Convert.ToHexString(d.Identifier);
    }
}

/// <summary>
/// What the session remembers about its LUs between commands.
/// <list type="bullet">
/// <item>The capacity each one last reported, so that a one-block read does not cost a READ CAPACITY first. Anything a
/// unit attention says may have changed (<see cref="UnitAttention"/>) and every reconnect make it forget. A READ
/// CAPACITY that was in flight while it forgot does not store its (possibly stale) answer: each answer is stored
/// against the generation current when its command was sent.</item>
/// <item>The identity of each LU whose capacity it learned: after a reconnect the session checks, before anything
/// else goes to it, that the LU answering at that LUN is the same one (IscsiSession.LunIdentity.cs).</item>
/// <item>The LUNs that failed that check: they take no more commands.</item>
/// </list>
/// </summary>
internal sealed class LunKnowledge
{
    private readonly ConcurrentDictionary<int, ReadCapacityData> _capacity = new();
    private readonly ConcurrentDictionary<int, LunIdentity> _identity = new();
    private readonly ConcurrentDictionary<int, LogicalUnitChangedException> _changed = new();
    private readonly ConcurrentDictionary<int, byte> _unidentifiable = new();
    private readonly ConcurrentDictionary<int, Lazy<Task>> _learning = new();
    private long _generation;
    private volatile int _changedCount; // read on every command: a field is cheaper than the dictionary's Count

    /// <summary>Taken before asking the LU, handed back to <see cref="Remember"/> with its answer.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGetCapacity(int lun, out ReadCapacityData capacity) => _capacity.TryGetValue(lun, out capacity!);

    public void Remember(int lun, ReadCapacityData capacity, long askedAt)
    {
        _capacity[lun] = capacity;
        if (Generation != askedAt) _capacity.TryRemove(lun, out _); // forgotten meanwhile: the answer may be stale
    }

    public void Forget(int lun)
    {
        Interlocked.Increment(ref _generation);
        _capacity.TryRemove(lun, out _);
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _capacity.Clear();
    }

    public bool HasIdentity(int lun) => _identity.ContainsKey(lun);

    /// <summary>A LUN whose capacity could not be learned before a first write: not asked again on this session.</summary>
    public bool IsUnidentifiable(int lun) => _unidentifiable.ContainsKey(lun);

    public void MarkUnidentifiable(int lun) => _unidentifiable.TryAdd(lun, 0);

    /// <summary>The one learning of a LUN's identity under way, started by <paramref name="learn"/> if none is. A
    /// learning that failed (the session lost its connection, say) is forgotten once done, so a later writer tries again.</summary>
    public Task Learning(int lun, Func<Task> learn)
    {
        var entry = _learning.GetOrAdd(lun, _ => new Lazy<Task>(learn));
        var task = entry.Value;
        if (task.IsCompleted) _learning.TryRemove(new KeyValuePair<int, Lazy<Task>>(lun, entry));
        else _ = task.ContinueWith(_ => _learning.TryRemove(new KeyValuePair<int, Lazy<Task>>(lun, entry)), TaskScheduler.Default);
        return task;
    }

    /// <summary>The first identity learned for a LUN stays: it is what later checks compare against.</summary>
    public void RememberIdentity(int lun, LunIdentity identity) => _identity.TryAdd(lun, identity);

    public IReadOnlyList<KeyValuePair<int, LunIdentity>> Identities => _identity.ToArray();

    /// <summary>Marks a LUN whose LU changed: every later command to it fails with <paramref name="error"/>.</summary>
    public void MarkChanged(int lun, LogicalUnitChangedException error)
    {
        if (_changed.TryAdd(lun, error)) Interlocked.Increment(ref _changedCount);
        _capacity.TryRemove(lun, out _);
    }

    /// <summary>Why commands to this LUN are refused, or null (the common case costs one field read).</summary>
    public LogicalUnitChangedException? ChangedIdentity(int lun)
        => _changedCount > 0 && _changed.TryGetValue(lun, out var error) ? error : null;
}
