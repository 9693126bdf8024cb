using System.Collections.Concurrent;

namespace IscsiModule.Logic;

/// <summary>
/// Runs an async engine call to completion on the calling (pipeline) thread while executing, on that thread,
/// the work posted from the call's continuations - PowerShell only accepts WriteProgress / WriteVerbose from
/// the pipeline thread. Cancellation is the caller's token (StopProcessing cancels it); the engine turns it into
/// ABORT TASK, so the call normally ends quickly; <see cref="StopGrace"/> bounds the wait for it.
/// </summary>
/// <remarks>The pipeline thread sleeps until something happens: posted work, the call's end or the stop. Each of
/// them wakes it at once (a cmdlet that waits in polls pays the poll interval on every call: a 50 ms poll made a
/// one-command cmdlet take 50 ms however fast the target answered).</remarks>
public sealed class PipelineThreadPump
{
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    // Posted to wake the pipeline thread; running it does nothing.
    private static readonly Action Wake = static () => { };

    private readonly BlockingCollection<Action> _work = new(new ConcurrentQueue<Action>());

    /// <summary>How often the pipeline thread woke up while calls ran: once per posted item, once for the end, once
    /// for a stop. Anything more would be polling.</summary>
    internal int TimesWoken { get; private set; }

    /// <summary>Queues work for the pipeline thread; safe from any thread.</summary>
    public void Post(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _work.Add(work);
    }

    /// <summary>Starts the call and pumps posted work until it ends; rethrows its exception unwrapped. When
    /// <paramref name="stopToken"/> fires and the call has not ended <see cref="StopGrace"/> later, throws
    /// OperationCanceledException and leaves the call to finish in the background.</summary>
    public T Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken stopToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var task = call(stopToken);
        if (!task.IsCompleted)
        {
            task.ContinueWith(static (_, pump) => ((PipelineThreadPump)pump!).Post(Wake), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            using var onStop = stopToken.Register(static pump => ((PipelineThreadPump)pump!).Post(Wake), this);
            DateTime? stopDeadline = null;
            while (!task.IsCompleted)
            {
                var wait = Timeout.InfiniteTimeSpan;
                if (stopToken.IsCancellationRequested)
                {
                    stopDeadline ??= DateTime.UtcNow + StopGrace;
                    wait = stopDeadline.Value - DateTime.UtcNow;
                    if (wait <= TimeSpan.Zero)
                    {
                        _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe a late failure
                        throw new OperationCanceledException("The operation was stopped.", stopToken);
                    }
                }
                if (_work.TryTake(out var work, wait))
                {
                    TimesWoken++;
                    RunPosted(work, stopToken);
                }
            }
        }
        while (_work.TryTake(out var rest))
            RunPosted(rest, stopToken);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Once the pipeline is stopping, WriteProgress and WriteVerbose throw PipelineStoppedException: what the
    /// work wanted to show has nowhere to go, but the call must still be waited for (a transfer that is stopping says
    /// what it kept, and must not go on writing a file after the cmdlet has returned). Any failure of posted work
    /// after the stop is dropped for that reason (this class stays free of PowerShell types, for its unit tests).</summary>
    private static void RunPosted(Action work, CancellationToken stopToken)
    {
        try
        {
            work();
        }
        catch (Exception) when (stopToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>An IProgress whose reports run on the pipeline thread (during <see cref="Run{T}"/>).</summary>
    public IProgress<T> Progress<T>(Action<T> onPipelineThread) => new PostingProgress<T>(this, onPipelineThread);

    private sealed class PostingProgress<T>(PipelineThreadPump pump, Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => pump.Post(() => handler(value));
    }
}
