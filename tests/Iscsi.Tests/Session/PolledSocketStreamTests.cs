using System.Net;
using System.Net.Sockets;
using Iscsi.Session;

namespace Iscsi.Tests.Session;

/// <summary>
/// The connection's stream (<see cref="PolledSocketStream"/>) over a real loopback TCP pair: reads complete on the
/// calling thread (waiting in poll, with or without the spin), end of stream and resets surface as 0 and IOException,
/// a write larger than the socket can take finishes later and arrives byte-exact, and both ways of ending a wait
/// (cancellation, shutting the socket down) end it.
/// </summary>
public sealed class PolledSocketStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public async Task A_read_waits_on_its_own_thread_for_data_that_arrives_later(int spinMicroseconds)
    {
        using var pair = await LoopbackPair.OpenAsync();
        using var stream = new PolledSocketStream(pair.Ours) { Spin = TimeSpan.FromMicroseconds(spinMicroseconds) };
        var buffer = new byte[16];
        int readerThread = -1;
        var read = Task.Factory.StartNew(() =>
        {
            readerThread = Environment.CurrentManagedThreadId;
            var pending = stream.ReadAsync(buffer);
            Assert.True(pending.IsCompleted); // it waited here, on this thread, instead of returning a pending read
            return (pending.Result, Environment.CurrentManagedThreadId);
        }, TaskCreationOptions.LongRunning);

        await Task.Delay(100);
        Assert.False(read.IsCompleted);
        pair.Theirs.Send("hello"u8);
        var (count, finishedOn) = await read.WaitAsync(Patience);

        Assert.Equal(5, count);
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);
        Assert.Equal(readerThread, finishedOn);
    }

    [Fact]
    public async Task A_reader_whose_spins_keep_ending_asleep_stops_spinning_and_only_probes_now_and_then()
    {
        using var pair = await LoopbackPair.OpenAsync();
        using var stream = new PolledSocketStream(pair.Ours) { Spin = TimeSpan.FromMicroseconds(50) };
        if (stream.Spin == TimeSpan.Zero) return; // one processor: the stream never spins
        const int messages = 200;
        // A slow target: each message 2 ms after the last, far beyond any 50 µs spin.
        var sender = Task.Run(async () =>
        {
            for (int i = 0; i < messages; i++)
            {
                await Task.Delay(2);
                pair.Theirs.Send([(byte)i]);
            }
        });
        var buffer = new byte[1];
        await Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < messages; i++)
            {
                Assert.Equal(1, stream.Read(buffer));
                Assert.Equal((byte)i, buffer[0]);
            }
        }, TaskCreationOptions.LongRunning).WaitAsync(Patience);
        await sender;

        // From a full score, 43 misses in a row take it below RestingScore; then one probe per 64 waits. Every read
        // here waits (each message is taken before the next is sent), so a reader that never rested would spin 200
        // times. The upper bound leaves room for a probe that catches data on a loaded machine.
        Assert.InRange(stream.SpinsTried, 40, 100);
        Assert.True(stream.SpinsCaught <= 5, $"{stream.SpinsCaught} of {stream.SpinsTried} spins caught data from a 2 ms sender");
    }

    [Fact]
    public async Task Reads_return_what_has_arrived_and_zero_at_the_end_of_the_stream()
    {
        using var pair = await LoopbackPair.OpenAsync();
        using var stream = new PolledSocketStream(pair.Ours);
        pair.Theirs.Send(new byte[] { 1, 2, 3 });
        pair.Theirs.Shutdown(SocketShutdown.Send);

        var buffer = new byte[10];
        int total = 0, n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(total))) > 0) total += n;

        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..total]);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task A_reset_connection_fails_the_read_with_an_IOException()
    {
        using var pair = await LoopbackPair.OpenAsync();
        using var stream = new PolledSocketStream(pair.Ours);
        pair.Theirs.LingerState = new LingerOption(true, 0); // close sends RST
        pair.Theirs.Close();

        var error = await Assert.ThrowsAsync<IOException>(async () => await stream.ReadAsync(new byte[8]));
        Assert.IsType<SocketException>(error.InnerException);
    }

    [Fact]
    public async Task A_write_larger_than_the_socket_takes_finishes_once_the_peer_reads_and_arrives_byte_exact()
    {
        using var pair = await LoopbackPair.OpenAsync(smallBuffers: true);
        using var stream = new PolledSocketStream(pair.Ours);
        var random = new Random(7);
        // Two in turn: the second reuses what the first used to wait for room.
        for (int round = 0; round < 2; round++)
        {
            var data = new byte[8 * 1024 * 1024];
            random.NextBytes(data);
            var write = stream.WriteAsync(data);
            Assert.False(write.IsCompleted); // nobody reads yet: 8 MiB cannot fit in the two socket buffers

            var received = new byte[data.Length];
            int total = 0;
            while (total < received.Length)
                total += await pair.Theirs.ReceiveAsync(received.AsMemory(total));
            await write.AsTask().WaitAsync(Patience);
            Assert.Equal(data, received);
        }
    }

    [Fact]
    public async Task A_write_waiting_for_room_fails_when_the_peer_resets()
    {
        using var pair = await LoopbackPair.OpenAsync(smallBuffers: true);
        using var stream = new PolledSocketStream(pair.Ours);
        var write = stream.WriteAsync(new byte[16 * 1024 * 1024]);
        Assert.False(write.IsCompleted);
        pair.Theirs.LingerState = new LingerOption(true, 0);
        pair.Theirs.Close();

        await Assert.ThrowsAsync<IOException>(async () => await write.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Cancelling_a_waiting_read_ends_it()
    {
        using var pair = await LoopbackPair.OpenAsync();
        using var stream = new PolledSocketStream(pair.Ours);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var read = Task.Factory.StartNew(() => stream.ReadAsync(new byte[8], cancel.Token).AsTask(), TaskCreationOptions.LongRunning).Unwrap();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Patience));
    }

    [Fact]
    public async Task Shutting_our_socket_down_ends_a_waiting_read()
    {
        using var pair = await LoopbackPair.OpenAsync();
        using var stream = new PolledSocketStream(pair.Ours);
        var read = Task.Factory.StartNew(() => stream.ReadAsync(new byte[8]).AsTask(), TaskCreationOptions.LongRunning).Unwrap();
        await Task.Delay(100);
        Assert.False(read.IsCompleted);

        // What IscsiTransport.Abort does when a session closes or gives a connection up.
        pair.Ours.Shutdown(SocketShutdown.Both);

        Assert.Equal(0, await read.WaitAsync(Patience));
    }

    /// <summary>A connected pair of loopback sockets: ours (for the stream under test) and the peer's.</summary>
    private sealed class LoopbackPair : IDisposable
    {
        private LoopbackPair(Socket ours, Socket theirs)
        {
            Ours = ours;
            Theirs = theirs;
        }

        public Socket Ours { get; }
        public Socket Theirs { get; }

        /// <param name="smallBuffers">64 KiB socket buffers on our sending and their receiving side, so that a few
        /// MiB cannot fit in them.</param>
        public static async Task<LoopbackPair> OpenAsync(bool smallBuffers = false)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            // A synchronous connect: the stream's socket must not have met the asynchronous engine.
            ours.Connect(listener.LocalEndPoint!);
            var theirs = await listener.AcceptAsync();
            if (smallBuffers)
            {
                ours.SendBufferSize = 64 * 1024;
                theirs.ReceiveBufferSize = 64 * 1024;
            }
            return new LoopbackPair(ours, theirs);
        }

        public void Dispose()
        {
            Ours.Dispose();
            Theirs.Dispose();
        }
    }
}
