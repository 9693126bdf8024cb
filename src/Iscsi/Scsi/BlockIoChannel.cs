using Iscsi.Session;

namespace Iscsi.Scsi;

/// <summary>
/// Block reads and writes on one LUN with no allocation per I/O: the channel keeps one command state and reuses
/// it, and each read or write returns a <see cref="ValueTask{TResult}"/> of a <see cref="BlockIoResult"/> struct.
/// For high-rate callers (benchmarks, copy loops): open one channel per request you want in flight.
/// </summary>
/// <remarks>
/// One request at a time per channel, like a SocketAsyncEventArgs: await each result before starting the next
/// (a second request while one is in flight throws <c>ChannelBusy</c>), and await each ValueTask once. Otherwise it
/// behaves as <see cref="IscsiSessionScsiExtensions.ReadBlocksAsync"/>/<see cref="IscsiSessionScsiExtensions.WriteBlocksAsync"/>:
/// READ/WRITE(10) or (16) as the range needs, data straight into/out of the caller's memory, a UNIT ATTENTION
/// absorbed (up to 3 times), timeouts, cancellation (ABORT TASK) and reconnects as for any command. Not thread-safe.
/// A request that left the fast path (it timed out, was cancelled, was repeated after a reconnect or a digest
/// error, or its cancellation token could fire) leaves its state object to the garbage collector, and the channel
/// starts a fresh one: correctness first, allocation only on those rare paths.
/// </remarks>
public sealed class BlockIoChannel
{
    private readonly IscsiSession _session;
    private ReusableCommandState? _state;

    public BlockIoChannel(IscsiSession session, int lun, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (lun is < 0 or > 16383)
            throw new IscsiArgumentException("LunOutOfRange", $"LUN {lun} is outside 0..16383.");
        if (blockSize <= 0)
            throw new IscsiArgumentException("BlockSizeInvalid", $"Block size {blockSize} must be positive.");
        _session = session;
        Lun = lun;
        BlockSize = blockSize;
    }

    public IscsiSession Session => _session;

    /// <summary>The state object the next request would start from (tests check reuse through it).</summary>
    internal object? CurrentState => _state;
    public int Lun { get; }
    public int BlockSize { get; }

    /// <summary>Reads <paramref name="blockCount"/> blocks at <paramref name="lba"/> straight into <paramref name="destination"/>.</summary>
    public ValueTask<BlockIoResult> ReadAsync(ulong lba, int blockCount, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        int bytes = BlockIoArguments.ValidateRead(blockCount, BlockSize, destination.Length);
        return Run(write: false, lba, (uint)blockCount, destination[..bytes], default, cancellationToken);
    }

    /// <summary>Writes <paramref name="source"/> (a whole number of blocks) at <paramref name="lba"/>.</summary>
    public ValueTask<BlockIoResult> WriteAsync(ulong lba, ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        uint blocks = BlockIoArguments.ValidateWrite(BlockSize, source.Length);
        // The first write to a LUN waits for the session to learn the LU's identity (see WriteBlocksAsync); after that,
        // nothing extra is paid.
        var learned = _session.EnsureIdentityBeforeWriteAsync(Lun, cancellationToken);
        return learned.IsCompletedSuccessfully
            ? Run(write: true, lba, blocks, default, source, cancellationToken)
            : LearnedThenWriteAsync(learned, lba, blocks, source, cancellationToken);
    }

    private async ValueTask<BlockIoResult> LearnedThenWriteAsync(ValueTask learned, ulong lba, uint blocks, ReadOnlyMemory<byte> source,
        CancellationToken cancellationToken)
    {
        await learned.ConfigureAwait(false);
        return await Run(write: true, lba, blocks, default, source, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<BlockIoResult> Run(bool write, ulong lba, uint blocks, Memory<byte> dataIn, ReadOnlyMemory<byte> dataOut,
        CancellationToken cancellationToken)
    {
        var state = _state;
        if (state is null || !state.CanCarryNext)
        {
            if (state is { IsBusy: true })
                throw new IscsiArgumentException("ChannelBusy",
                    $"The block I/O channel for LUN {Lun} already has a request in flight; await it before starting another (or open one channel per request in flight).");
            state = _state = new ReusableCommandState(_session);
        }
        state.Begin(Lun, write, lba, blocks, dataIn, dataOut);
        try
        {
            _session.Launch(state, cancellationToken);
        }
        catch
        {
            _state = null; // begun but never launched: the next request starts from a fresh object
            throw;
        }
        return new ValueTask<BlockIoResult>(state, state.Version);
    }
}
