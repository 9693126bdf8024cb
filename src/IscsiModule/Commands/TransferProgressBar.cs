using System.Diagnostics;
using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>
/// Write-Progress for one block transfer: bytes done of the total, the rate and the time left. A transfer stopped by
/// Ctrl+C must still close its bar, or the host leaves it on screen; but once the pipeline is stopping it refuses
/// records, so the closing record then goes to the host directly, under the same source id (our own, so that the
/// host matches it with the bar it closes).
/// </summary>
public sealed class TransferProgressBar
{
    // At most this often (and at the end): a 1 GB/s copy completes a thousand requests a second.
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static long s_lastSourceId = 1L << 40; // far from the small ids PowerShell hands out itself

    private readonly PSCmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly long _sourceId = Interlocked.Increment(ref s_lastSourceId);
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _lastShown = -Interval;
    private bool _shown;

    internal TransferProgressBar(PSCmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _activityId = activityId;
        _activity = activity;
    }

    /// <summary>Hand this to the engine: its reports are shown on the pipeline thread.</summary>
    public IProgress<TransferProgress> Reporter { get; internal set; } = null!;

    internal void Show(TransferProgress p)
    {
        var elapsed = _watch.Elapsed;
        if (p.BytesDone < p.TotalBytes && elapsed - _lastShown < Interval) return;
        _lastShown = elapsed;
        double rate = elapsed.TotalSeconds > 0 ? p.BytesDone / elapsed.TotalSeconds : 0;
        var record = new ProgressRecord(_activityId, _activity, ProgressText.Describe(p, rate))
        {
            PercentComplete = p.PercentComplete,
            SecondsRemaining = rate > 0 ? (int)Math.Min(int.MaxValue, (p.TotalBytes - p.BytesDone) / rate) : -1,
        };
        Write(record);
    }

    /// <summary>Removes the bar (after success, failure or a stop).</summary>
    public void Complete()
    {
        if (!_shown) return;
        _shown = false;
        var done = new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed };
        try
        {
            _cmdlet.CommandRuntime.WriteProgress(_sourceId, done);
        }
        catch (PipelineStoppedException)
        {
            _cmdlet.Host?.UI?.WriteProgress(_sourceId, done);
        }
    }

    private void Write(ProgressRecord record)
    {
        _shown = true;
        _cmdlet.CommandRuntime.WriteProgress(_sourceId, record);
    }
}
