using Iscsi.Pdu;

namespace Iscsi.Session;

/// <summary>
/// Command and status numbering of one session (RFC 7143 4.2.2): the next CmdSN, the window
/// [ExpCmdSN, MaxCmdSN] the target allows, and ExpStatSN. All comparisons are RFC 1982 serial.
/// </summary>
internal sealed class SequenceWindow
{
    private readonly object _lock = new();
    private uint _nextCmdSn;
    private uint _expCmdSn;
    private uint _maxCmdSn;
    private uint _expStatSn;
    // Created by the first waiter, completed and dropped by the next change: responses (one per I/O) move the
    // window all the time, and allocating a signal for each when nobody waits was a cost per I/O.
    private TaskCompletionSource? _changed;
    private bool _closed;

    public SequenceWindow(uint expCmdSn, uint maxCmdSn, uint expStatSn)
    {
        _nextCmdSn = expCmdSn;
        _expCmdSn = expCmdSn;
        _maxCmdSn = maxCmdSn;
        _expStatSn = expStatSn;
    }

    /// <summary>The CmdSN the next non-immediate command will carry (and what immediate PDUs carry).</summary>
    public uint NextCmdSn { get { lock (_lock) return _nextCmdSn; } }
    public uint ExpStatSn { get { lock (_lock) return _expStatSn; } }
    public uint ExpCmdSn { get { lock (_lock) return _expCmdSn; } }
    public uint MaxCmdSn { get { lock (_lock) return _maxCmdSn; } }

    /// <summary>Takes the next CmdSN if the window allows it.</summary>
    public bool TryTake(out uint cmdSn)
    {
        lock (_lock)
        {
            cmdSn = _nextCmdSn;
            if (_closed) return false;
            if (!Serial.InWindow(cmdSn, _expCmdSn, _maxCmdSn)) return false;
            _nextCmdSn++;
            return true;
        }
    }

    /// <summary>Completes when the window may have changed (a new ExpCmdSN/MaxCmdSN arrived, or the connection
    /// closed: then <see cref="IsClosed"/> is true and the waiter goes to look for the session's next connection).</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            if (_closed) return Task.CompletedTask;
            if (Serial.InWindow(_nextCmdSn, _expCmdSn, _maxCmdSn)) return Task.CompletedTask;
            signal = (_changed ??= NewSignal()).Task;
        }
        return signal.WaitAsync(cancellationToken);
    }

    /// <summary>Applies ExpCmdSN/MaxCmdSN from a target PDU (RFC 7143 4.2.2.1: ignored when MaxCmdSN+1 &lt; ExpCmdSN,
    /// and neither may move backwards). An ExpCmdSN past every CmdSN we have used acknowledges commands never sent: a
    /// broken target, refused at once (waiting would only run into the next command's timeout).</summary>
    public void Update(uint expCmdSn, uint maxCmdSn)
    {
        TaskCompletionSource? toSignal = null;
        lock (_lock)
        {
            if (Serial.LessThan(maxCmdSn + 1, expCmdSn)) return;
            if (Serial.GreaterThan(expCmdSn, _nextCmdSn))
                throw new IscsiProtocolException(
                    $"The target's ExpCmdSN {expCmdSn} is past the next CmdSN we would use ({_nextCmdSn}): it acknowledges commands never sent.",
                    "ExpCmdSnInvalid");
            bool changed = false;
            if (Serial.GreaterThan(expCmdSn, _expCmdSn)) { _expCmdSn = expCmdSn; changed = true; }
            if (Serial.GreaterThan(maxCmdSn, _maxCmdSn)) { _maxCmdSn = maxCmdSn; changed = true; }
            if (changed)
            {
                toSignal = _changed;
                _changed = null;
            }
        }
        toSignal?.TrySetResult();
    }

    /// <summary>Notes a StatSN the target has used; ExpStatSN becomes the one after it.</summary>
    public void AcknowledgeStatSn(uint statSn)
    {
        lock (_lock)
        {
            if (!Serial.LessThan(statSn, _expStatSn)) _expStatSn = statSn + 1;
        }
    }

    public bool IsClosed { get { lock (_lock) return _closed; } }

    /// <summary>The connection is gone: no more CmdSNs are taken from this window, and waiters wake.</summary>
    public void Close()
    {
        TaskCompletionSource? toSignal;
        lock (_lock)
        {
            _closed = true;
            toSignal = _changed;
            _changed = null;
        }
        toSignal?.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
