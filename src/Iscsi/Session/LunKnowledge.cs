using System.Collections.Concurrent;
using Iscsi.Scsi;

namespace Iscsi.Session;

/// <summary>
/// What the session remembers about its LUs between commands: the capacity each one last reported, so that a
/// one-block read does not cost a READ CAPACITY first. Anything a unit attention says may have changed (see
/// <see cref="UnitAttention"/>) and every reconnect (possibly to another LU) make it forget. A READ CAPACITY that
/// was in flight while it forgot does not store its (possibly stale) answer: each answer is stored against the
/// generation current when its command was sent.
/// </summary>
internal sealed class LunKnowledge
{
    private readonly ConcurrentDictionary<int, ReadCapacityData> _capacity = new();
    private long _generation;

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
}
