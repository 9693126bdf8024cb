using Iscsi.Scsi;

namespace Iscsi.Session;

/*  Is it still the same LU? After a reconnect the target may answer at the same IQN and LUN with another LU (an
    administrator re-created the target with LUN 1 on another file while we were away). A write repeated or sent
    after the reconnect would then land on the wrong disk. So before the new connection takes any caller's command,
    the session asks every LU whose identity it knows (LunKnowledge: learned with its capacity) for its designators,
    serial and capacity, on that connection, and compares. A LUN whose answers differ (or that is gone) takes no more
    commands: what was in flight to it fails with LogicalUnitChanged instead of being sent again.

    What cannot be told apart: a replacement that reports the same designators, serial and capacity (tgtd derives its
    designators and default serial from the target and LUN numbers, so a re-created LUN of the same size looks the
    same). The unit attention such a target reports (29h, a new nexus) says nothing either: every reconnect gets one.  */
public sealed partial class IscsiSession
{
    private const int IdentityAllocation = 255;
    private const int MaxIdentityUnitAttentions = 3;

    /// <summary>Learns a LU's identity the first time the session learns its capacity (READ CAPACITY already paid
    /// for the round trip; the two VPD pages cost two more, once per LUN and session).</summary>
    internal async Task LearnIdentityAsync(int lun, ReadCapacityData capacity, CancellationToken cancellationToken)
    {
        if (Luns.HasIdentity(lun)) return;
        var identification = await OptionalVpdAsync(lun, VpdPage.DeviceIdentification, cancellationToken).ConfigureAwait(false);
        var serial = await OptionalVpdAsync(lun, VpdPage.UnitSerialNumber, cancellationToken).ConfigureAwait(false);
        Luns.RememberIdentity(lun, IdentityOf(identification, serial, capacity));
    }

    /// <summary>Before the first write to a LUN: makes sure the session knows the LU it is about to change, so that a
    /// reconnect can check it (a write is what must not land on another disk). Free once known. A LU whose READ CAPACITY
    /// fails or cannot be decoded (not a block device, or a target that answers it badly) has no identity to learn: the
    /// session remembers that, and its writes go ahead unchecked (documented).
    /// Writers that arrive together share one learning (a 32-deep write benchmark asks once, not 32 times); it runs
    /// with no caller's token, bounded by the command timeout, and each writer waits for it with its own.</summary>
    internal ValueTask EnsureIdentityBeforeWriteAsync(int lun, CancellationToken cancellationToken)
        => Luns.HasIdentity(lun) || Luns.IsUnidentifiable(lun) ? ValueTask.CompletedTask : LearnSharedAsync(lun, cancellationToken);

    // Apart from the check above: a lambda capturing lun there would allocate its closure on every write.
    private ValueTask LearnSharedAsync(int lun, CancellationToken cancellationToken)
        => new(Luns.Learning(lun, () => LearnBeforeWriteAsync(lun)).WaitAsync(cancellationToken));

    private async Task LearnBeforeWriteAsync(int lun)
    {
        try
        {
            await this.ReadCapacityAsync(lun, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ScsiCommandException or IscsiProtocolException)
        {
            Luns.MarkUnidentifiable(lun);
        }
    }

    /// <summary>What the pages say; a page that does not decode counts as absent (the same absence compares equal
    /// later, and learning an identity must never break the READ CAPACITY it rides on).</summary>
    private static LunIdentity IdentityOf(byte[]? page83, byte[]? page80, ReadCapacityData capacity)
    {
        string designators = "";
        string? serial = null;
        try { if (page83 is not null) designators = LunIdentity.Of(DeviceIdentification.Parse(page83)); }
        catch (IscsiProtocolException) { }
        try { if (page80 is not null) serial = UnitSerialNumber.Parse(page80).SerialNumber.Trim(); }
        catch (IscsiProtocolException) { }
        return new LunIdentity(designators, serial, capacity.BlockSize, capacity.BlockCount);
    }

    private async Task<byte[]?> OptionalVpdAsync(int lun, byte page, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(new ScsiCommand(lun, Cdb.Inquiry(true, page, IdentityAllocation)) { ExpectedDataInLength = IdentityAllocation },
            cancellationToken).ConfigureAwait(false);
        return result.IsGood ? result.Data : null; // a LU without the page: the identity does without it
    }

    /// <summary>Checks every LU with a known identity on the fresh connection <paramref name="c"/>, before it is open to
    /// callers. Returns the LUNs found changed (marked in <see cref="Luns"/>). When the connection fails meanwhile the
    /// check stops: the failure handler takes over, and the next connection is checked in turn.</summary>
    private async Task<IReadOnlyList<int>> VerifyKnownLunsAsync(SessionConnection c)
    {
        var changed = new List<int>();
        foreach (var (lun, known) in Luns.Identities)
        {
            if (Luns.ChangedIdentity(lun) is not null) continue;
            string? difference;
            try
            {
                difference = await CompareIdentityAsync(c, lun, known).ConfigureAwait(false);
            }
            catch (IscsiException) when (!c.IsLive)
            {
                break;
            }
            if (difference is null) continue;
            Luns.MarkChanged(lun, new LogicalUnitChangedException(lun,
                $"After reconnecting to {TargetName} at {c.Transport.Host}:{c.Transport.Port}, LUN {lun} is not the logical unit the session knew: " +
                $"{difference}. Nothing more is sent to it on this session (a write meant for one disk must not land on another); " +
                "check the target, and connect again to use the LU that is there now."));
            changed.Add(lun);
        }
        return changed;
    }

    /// <summary>Null when the LU at <paramref name="lun"/> is still <paramref name="known"/>; otherwise what differs.</summary>
    private async Task<string?> CompareIdentityAsync(SessionConnection c, int lun, LunIdentity known)
    {
        var capacity16 = await ExecuteOnAsync(c, new ScsiCommand(lun, Cdb.ReadCapacity16(ReadCapacity16Data.Length))
            { ExpectedDataInLength = ReadCapacity16Data.Length }).ConfigureAwait(false);
        if (capacity16.Sense is { SenseKey: SenseKey.IllegalRequest, Asc: 0x25 })
            return "the target no longer has that LUN (LOGICAL UNIT NOT SUPPORTED)";
        ReadCapacityData capacity;
        if (capacity16.IsGood)
            capacity = ReadCapacityData.From(ReadCapacity16Data.Parse(capacity16.Data));
        else
        {
            var capacity10 = await ExecuteOnAsync(c, new ScsiCommand(lun, Cdb.ReadCapacity10()) { ExpectedDataInLength = ReadCapacity10Data.Length })
                .ConfigureAwait(false);
            if (!capacity10.IsGood) return $"READ CAPACITY failed ({ScsiOutcomeText.Describe(capacity10)})";
            capacity = ReadCapacityData.From(ReadCapacity10Data.Parse(capacity10.Data));
        }
        var page83 = await ExecuteOnAsync(c, new ScsiCommand(lun, Cdb.Inquiry(true, VpdPage.DeviceIdentification, IdentityAllocation))
            { ExpectedDataInLength = IdentityAllocation }).ConfigureAwait(false);
        var page80 = await ExecuteOnAsync(c, new ScsiCommand(lun, Cdb.Inquiry(true, VpdPage.UnitSerialNumber, IdentityAllocation))
            { ExpectedDataInLength = IdentityAllocation }).ConfigureAwait(false);
        var now = IdentityOf(page83.IsGood ? page83.Data : null, page80.IsGood ? page80.Data : null, capacity);
        if (now == known)
        {
            Luns.Remember(lun, capacity, Luns.Generation);
            return null;
        }
        return now.DifferencesFrom(known);
    }

    /// <summary>Runs one command on <paramref name="c"/> even though the connection is not open to callers yet (the
    /// identity check), absorbing the power-on/reset unit attention the new nexus reports. Not repeated after a
    /// connection loss: the check is simply made again on the next connection.</summary>
    private async Task<ScsiResult> ExecuteOnAsync(SessionConnection c, ScsiCommand template)
    {
        for (int attempt = 0; ; attempt++)
        {
            var command = new ScsiCommand(template.Lun, template.Cdb)
            {
                ExpectedDataInLength = template.ExpectedDataInLength, RawUnitAttention = true, RepeatOnReconnect = false,
            };
            var state = NewCommandState(command);
            state.Timeout = _options.CommandTimeout;
            if (state.Timeout > TimeSpan.Zero && state.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
                state.Deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(state.Timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            Register(state);
            Interlocked.Increment(ref _scsiInFlight);
            while (true)
            {
                var queued = TryQueueCommand(c, state, waitedInLine: true);
                if (queued == QueueAttempt.Queued) break;
                if (queued == QueueAttempt.WindowClosed)
                {
                    await c.Window.WaitForChangeAsync(CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                Unregister(state);
                var lost = new IscsiConnectionException($"The connection to {c.Transport.Host}:{c.Transport.Port} failed while its LUs were checked.", "ConnectionLost");
                state.Fail(lost);
                throw lost;
            }
            var result = await state.Completion.Task.ConfigureAwait(false);
            if (attempt < MaxIdentityUnitAttentions && UnitAttention.IsAbsorbed(result.Sense)) continue;
            return result;
        }
    }
}
