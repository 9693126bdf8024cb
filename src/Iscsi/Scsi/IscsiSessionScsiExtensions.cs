using Iscsi.Session;

namespace Iscsi.Scsi;

/// <summary>Common SCSI operations on a session: build the CDB, run it, decode the answer.</summary>
/// <remarks>
/// Getters of decoded data throw <see cref="ScsiCommandException"/> on a non-GOOD status (the sense
/// description in the message); reads, writes and other actions return the <see cref="ScsiResult"/> as is.
/// </remarks>
public static class IscsiSessionScsiExtensions
{
    private const int InitialAllocation = 255;
    private const int MaxVpdAllocation = ushort.MaxValue;
    private const int ReportLunsInitialAllocation = 16 + 8 * 64;
    // 16384 LUNs (everything LunEncoding can address) plus the header: a longer list is not believable.
    private const long ReportLunsMaxAllocation = 8 + 8L * 16384;
    private const int ModeSenseAllocation = 4096;
    private const byte RequestSenseAllocation = 252;
    /// <summary>Well-known LUN 0 answers REPORT LUNS for the whole target (SPC-5 6.33).</summary>
    private const int ReportLunsLun = 0;

    public static Task<ScsiResult> TestUnitReadyAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => RunAsync(session, lun, Cdb.TestUnitReady(), cancellationToken);

    /// <summary>Standard INQUIRY data; re-read with the full length when ADDITIONAL LENGTH says there is more.</summary>
    public static async Task<StandardInquiryData> InquiryAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        var (result, data) = await ReadDataAsync(session, lun, Cdb.Inquiry(false, 0, InitialAllocation), InitialAllocation, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, "INQUIRY");
        var inquiry = StandardInquiryData.Parse(data);
        if (inquiry.FullLength > data.Length && inquiry.FullLength > InitialAllocation)
        {
            (result, data) = await ReadDataAsync(session, lun, Cdb.Inquiry(false, 0, (ushort)inquiry.FullLength), inquiry.FullLength, cancellationToken).ConfigureAwait(false);
            EnsureGood(result, "INQUIRY");
            inquiry = StandardInquiryData.Parse(data);
        }
        return inquiry;
    }

    /// <summary>The whole VPD page (header included), re-read with the page length when 255 bytes were not enough.</summary>
    public static async Task<byte[]> InquiryVpdAsync(this IscsiSession session, int lun, byte page, CancellationToken cancellationToken = default)
    {
        string what = $"INQUIRY VPD page 0x{page:X2}";
        var (result, data) = await ReadDataAsync(session, lun, Cdb.Inquiry(true, page, InitialAllocation), InitialAllocation, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, what);
        int full = Math.Min(VpdPage.FullLength(data), MaxVpdAllocation);
        if (full > data.Length && full > InitialAllocation)
        {
            (result, data) = await ReadDataAsync(session, lun, Cdb.Inquiry(true, page, (ushort)full), full, cancellationToken).ConfigureAwait(false);
            EnsureGood(result, what);
        }
        return data;
    }

    public static async Task<SupportedVpdPages> GetSupportedVpdPagesAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => SupportedVpdPages.Parse(await session.InquiryVpdAsync(lun, VpdPage.SupportedPages, cancellationToken).ConfigureAwait(false));

    public static async Task<UnitSerialNumber> GetUnitSerialNumberAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => UnitSerialNumber.Parse(await session.InquiryVpdAsync(lun, VpdPage.UnitSerialNumber, cancellationToken).ConfigureAwait(false));

    public static async Task<DeviceIdentification> GetDeviceIdentificationAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => DeviceIdentification.Parse(await session.InquiryVpdAsync(lun, VpdPage.DeviceIdentification, cancellationToken).ConfigureAwait(false));

    public static async Task<BlockLimits> GetBlockLimitsAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => BlockLimits.Parse(await session.InquiryVpdAsync(lun, VpdPage.BlockLimits, cancellationToken).ConfigureAwait(false));

    public static async Task<BlockDeviceCharacteristics> GetBlockDeviceCharacteristicsAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => BlockDeviceCharacteristics.Parse(await session.InquiryVpdAsync(lun, VpdPage.BlockDeviceCharacteristics, cancellationToken).ConfigureAwait(false));

    public static async Task<LogicalBlockProvisioning> GetLogicalBlockProvisioningAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => LogicalBlockProvisioning.Parse(await session.InquiryVpdAsync(lun, VpdPage.LogicalBlockProvisioning, cancellationToken).ConfigureAwait(false));

    /// <summary>The capacity the session last learned for the LUN, or <see cref="ReadCapacityAsync"/> when it knows none:
    /// it forgets a LUN's capacity when the LU reports a unit attention (reset, CAPACITY DATA HAS CHANGED...) and at
    /// every reconnect, so a block transfer does not pay a READ CAPACITY per call.</summary>
    public static Task<ReadCapacityData> GetCapacityAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Luns.TryGetCapacity(lun, out var known) ? Task.FromResult(known) : session.ReadCapacityAsync(lun, cancellationToken);
    }

    /// <summary>Capacity from READ CAPACITY(16); READ CAPACITY(10) when (16) is rejected as ILLEGAL REQUEST. Always asks
    /// the LU; what it answers is remembered for <see cref="GetCapacityAsync"/>. The first time for a LUN it also learns
    /// the LU's identity (VPD 83h and 80h, two more commands once per LUN and session), which every reconnect checks.</summary>
    public static async Task<ReadCapacityData> ReadCapacityAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        long generation = session.Luns.Generation;
        var capacity = await AskCapacityAsync(session, lun, cancellationToken).ConfigureAwait(false);
        // The first time: what identifies this LU, so that a reconnect can tell whether it is still the same one.
        await session.LearnIdentityAsync(lun, capacity, cancellationToken).ConfigureAwait(false);
        session.Luns.Remember(lun, capacity, generation);
        return capacity;
    }

    private static async Task<ReadCapacityData> AskCapacityAsync(IscsiSession session, int lun, CancellationToken cancellationToken)
    {
        var (result16, data16) = await ReadDataAsync(session, lun, Cdb.ReadCapacity16(ReadCapacity16Data.Length), ReadCapacity16Data.Length, cancellationToken).ConfigureAwait(false);
        if (result16.IsGood)
            return ReadCapacityData.From(ReadCapacity16Data.Parse(data16));
        if (result16.Sense?.SenseKey != SenseKey.IllegalRequest)
            EnsureGood(result16, "READ CAPACITY(16)");

        var (result10, data10) = await ReadDataAsync(session, lun, Cdb.ReadCapacity10(), ReadCapacity10Data.Length, cancellationToken).ConfigureAwait(false);
        EnsureGood(result10, "READ CAPACITY(10)");
        var capacity10 = ReadCapacity10Data.Parse(data10);
        if (capacity10.NeedsReadCapacity16)
            throw new ScsiCommandException(result16,
                $"READ CAPACITY(10) on LUN {lun} says the capacity needs READ CAPACITY(16), which the target rejected: {Describe(result16)}.");
        return ReadCapacityData.From(capacity10);
    }

    /// <summary>The target's LUN numbers (REPORT LUNS to LUN 0), growing the allocation until the list fits.</summary>
    public static async Task<IReadOnlyList<int>> ReportLunsAsync(this IscsiSession session, CancellationToken cancellationToken = default)
    {
        long allocation = ReportLunsInitialAllocation;
        while (true)
        {
            var (result, data) = await ReadDataAsync(session, ReportLunsLun, Cdb.ReportLuns(0, (uint)allocation), (int)allocation, cancellationToken).ConfigureAwait(false);
            EnsureGood(result, "REPORT LUNS");
            var luns = ReportLunsData.Parse(data);
            if (!luns.IsTruncated || luns.RequiredAllocationLength <= allocation)
                return luns.Luns;
            if (luns.RequiredAllocationLength > ReportLunsMaxAllocation)
                throw ScsiData.Malformed($"REPORT LUNS announces a LUN list of {luns.LunListLength} bytes, more than 16384 LUNs.");
            allocation = luns.RequiredAllocationLength;
        }
    }

    /// <summary>Reads blocks straight into destination (READ(10), or READ(16) past 2^32 / 65535 blocks).</summary>
    public static Task<ScsiResult> ReadBlocksAsync(this IscsiSession session, int lun, ulong lba, int blockCount, int blockSize,
        Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        int bytes = BlockIoArguments.ValidateRead(blockCount, blockSize, destination.Length);
        ArgumentNullException.ThrowIfNull(session);
        var command = new ScsiCommand(lun, Cdb.Read(lba, (uint)blockCount))
        {
            DataIn = destination[..bytes],
            ExpectedDataInLength = bytes,
        };
        return ExecuteAsync(session, command, cancellationToken);
    }

    /// <summary>Writes data (a whole number of blocks) at lba (WRITE(10) or WRITE(16)).</summary>
    public static Task<ScsiResult> WriteBlocksAsync(this IscsiSession session, int lun, ulong lba, int blockSize,
        ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        uint blocks = BlockIoArguments.ValidateWrite(blockSize, data.Length);
        ArgumentNullException.ThrowIfNull(session);
        return ChangeAsync(session, new ScsiCommand(lun, Cdb.Write(lba, blocks)) { DataOut = data }, cancellationToken);
    }

    /// <summary>SYNCHRONIZE CACHE(10) over the whole medium.</summary>
    public static Task<ScsiResult> SynchronizeCacheAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
        => RunAsync(session, lun, Cdb.SynchronizeCache10(), cancellationToken);

    /// <summary>MODE SENSE(10) of one page (3Fh = all pages); falls back to MODE SENSE(6) when (10) is rejected.</summary>
    public static async Task<ModeParameters> ModeSenseAsync(this IscsiSession session, int lun, byte page, byte subpage = 0,
        ModePageControl pageControl = ModePageControl.Current, CancellationToken cancellationToken = default)
    {
        var (result, data) = await ReadDataAsync(session, lun,
            Cdb.ModeSense10(false, false, pageControl, page, subpage, ModeSenseAllocation), ModeSenseAllocation, cancellationToken).ConfigureAwait(false);
        if (result.IsGood)
            return ModeParameters.Parse10(data);
        if (result.Sense?.SenseKey != SenseKey.IllegalRequest)
            EnsureGood(result, "MODE SENSE(10)");
        (result, data) = await ReadDataAsync(session, lun,
            Cdb.ModeSense6(false, pageControl, page, subpage, byte.MaxValue), byte.MaxValue, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, "MODE SENSE(6)");
        return ModeParameters.Parse6(data);
    }

    /// <summary>REQUEST SENSE (fixed format); null when the target returned no sense bytes.</summary>
    public static async Task<SenseData?> RequestSenseAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        var (result, data) = await ReadDataAsync(session, lun, Cdb.RequestSense(false, RequestSenseAllocation), RequestSenseAllocation, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, "REQUEST SENSE");
        return SenseData.Parse(data);
    }

    /// <summary>UNMAP of the given (LBA, blocks) ranges.</summary>
    public static Task<ScsiResult> UnmapAsync(this IscsiSession session, int lun, IEnumerable<(ulong lba, uint blocks)> ranges,
        CancellationToken cancellationToken = default)
    {
        var parameters = UnmapParameterList.Build(ranges);
        ArgumentNullException.ThrowIfNull(session);
        return ChangeAsync(session, new ScsiCommand(lun, Cdb.Unmap((ushort)parameters.Length)) { DataOut = parameters }, cancellationToken);
    }

    /// <summary>VERIFY(16) of a range, medium check only (BYTCHK 0).</summary>
    public static Task<ScsiResult> VerifyAsync(this IscsiSession session, int lun, ulong lba, uint blocks, CancellationToken cancellationToken = default)
        => RunAsync(session, lun, Cdb.Verify16(lba, blocks), cancellationToken);

    public static Task<ScsiResult> StartStopUnitAsync(this IscsiSession session, int lun, bool start, bool loadEject = false,
        bool immediate = false, CancellationToken cancellationToken = default)
        => RunAsync(session, lun, Cdb.StartStopUnit(immediate, 0, loadEject, start), cancellationToken);

    public static async Task<PersistentReserveKeys> PersistentReserveReadKeysAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        const ushort allocation = 8 + 8 * 256;
        var (result, data) = await ReadDataAsync(session, lun, Cdb.PersistentReserveIn(PersistentReserveInServiceAction.ReadKeys, allocation), allocation, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, "PERSISTENT RESERVE IN (READ KEYS)");
        return PersistentReserveKeys.Parse(data);
    }

    public static async Task<PersistentReservation> PersistentReserveReadReservationAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        const ushort allocation = 24;
        var (result, data) = await ReadDataAsync(session, lun, Cdb.PersistentReserveIn(PersistentReserveInServiceAction.ReadReservation, allocation), allocation, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, "PERSISTENT RESERVE IN (READ RESERVATION)");
        return PersistentReservation.Parse(data);
    }

    public static async Task<SupportedOperationCodes> ReportSupportedOperationCodesAsync(this IscsiSession session, int lun, CancellationToken cancellationToken = default)
    {
        const int allocation = 8192;
        var (result, data) = await ReadDataAsync(session, lun, Cdb.ReportSupportedOperationCodes(0, 0, 0, allocation), allocation, cancellationToken).ConfigureAwait(false);
        EnsureGood(result, "REPORT SUPPORTED OPERATION CODES");
        return SupportedOperationCodes.Parse(data);
    }

    private static Task<ScsiResult> RunAsync(IscsiSession session, int lun, byte[] cdb, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ExecuteAsync(session, new ScsiCommand(lun, cdb), cancellationToken);
    }

    /// <summary>Runs a data-in command into a fresh buffer; returns the bytes that actually arrived.</summary>
    private static async Task<(ScsiResult Result, byte[] Data)> ReadDataAsync(IscsiSession session, int lun, byte[] cdb, int allocation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var buffer = new byte[allocation];
        var result = await ExecuteAsync(session, new ScsiCommand(lun, cdb) { DataIn = buffer, ExpectedDataInLength = allocation }, cancellationToken)
            .ConfigureAwait(false);
        int received = Math.Clamp(result.DataInLength, 0, allocation);
        return (result, received == allocation ? buffer : buffer[..received]);
    }

    private static void EnsureGood(ScsiResult result, string what)
    {
        if (!result.IsGood)
            throw new ScsiCommandException(result, $"{what} on LUN {result.Lun} failed: {Describe(result)}.");
    }

    private static string Describe(ScsiResult result) => ScsiOutcomeText.Describe(result);

    // A power-on/reset UNIT ATTENTION is absorbed by the session itself (Scsi/UnitAttention.cs); any other one
    // reaches the caller as the CHECK CONDITION it is.
    private static Task<ScsiResult> ExecuteAsync(IscsiSession session, ScsiCommand command, CancellationToken cancellationToken)
        => session.ExecuteAsync(command, cancellationToken);

    /// <summary>A command that changes the medium: the session first learns the LU's identity if it does not know it
    /// (once per LUN), so that after a reconnect it can tell whether the write would reach the same LU.</summary>
    private static Task<ScsiResult> ChangeAsync(IscsiSession session, ScsiCommand command, CancellationToken cancellationToken)
    {
        var learned = session.EnsureIdentityBeforeWriteAsync(command.Lun, cancellationToken);
        return learned.IsCompletedSuccessfully ? session.ExecuteAsync(command, cancellationToken) : LearnedThenAsync(learned, session, command, cancellationToken);

        static async Task<ScsiResult> LearnedThenAsync(ValueTask learned, IscsiSession session, ScsiCommand command, CancellationToken cancellationToken)
        {
            await learned.ConfigureAwait(false);
            return await session.ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

}
