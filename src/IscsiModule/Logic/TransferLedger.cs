using System.Text;
using Iscsi.Scsi;

namespace IscsiModule.Logic;

/// <summary>One request of a block transfer: its blocks and where its bytes sit in the whole transfer.</summary>
internal readonly record struct Chunk(ulong Lba, uint Blocks, ulong Offset);

/// <summary>
/// How each request of a block transfer ended, so that a transfer cut short can say exactly how far it got:
/// which blocks are done (a write the target acknowledged is on the disk; a read that reached the caller or the
/// file in order), which are unknown (a write in flight when it failed or was stopped: the target may or may not
/// have written it) and which were never sent.
/// </summary>
internal sealed class TransferLedger
{
    private enum State : byte { NotSent, InFlight, Acknowledged, Unknown }

    private readonly State[] _states;
    private readonly int _blockSize;
    private readonly string? _file;
    private int _doneInOrder;

    /// <param name="what">"read", "write" or "verify".</param>
    /// <param name="file">The file a read goes into, named in the description of what it keeps.</param>
    public TransferLedger(string what, IReadOnlyList<Chunk> chunks, int blockSize, string? file)
    {
        What = what;
        Chunks = chunks;
        _states = new State[chunks.Count];
        _blockSize = blockSize;
        _file = file;
    }

    public string What { get; }
    public IReadOnlyList<Chunk> Chunks { get; }
    private bool IsWrite => What == "write";

    /// <summary>Bytes of the requests completed in order from the start: what the caller (or the file) has.</summary>
    public ulong BytesDoneInOrder => _doneInOrder == 0 ? 0 : Chunks[_doneInOrder - 1].Offset + Bytes(Chunks[_doneInOrder - 1]);

    public void Started(int index) => _states[index] = State.InFlight;

    /// <summary>The request completed GOOD and was handed on in order.</summary>
    public void Done(int index)
    {
        _states[index] = State.Acknowledged;
        if (index == _doneInOrder) _doneInOrder++;
    }

    /// <summary>A request that ended without being handed on (after a failure or a stop): acknowledged when the target
    /// answered GOOD, unknown otherwise.</summary>
    public void Ended(int index, Task<ScsiResult> request)
    {
        if (_states[index] != State.InFlight) return;
        _states[index] = request.IsCompletedSuccessfully && request.Result.IsGood ? State.Acknowledged : State.Unknown;
    }

    /// <summary>"LBA 0-2047 written, LBA 2048-4095 unknown (in flight: they may or may not be on the disk), LBA 4096-8191
    /// not sent" for a write; for a read or a verify what reached the caller in order and what did not.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        int i = 0;
        while (i < Chunks.Count)
        {
            string word = WordFor(i);
            int j = i;
            while (j + 1 < Chunks.Count && WordFor(j + 1) == word) j++;
            ulong first = Chunks[i].Lba, last = Chunks[j].Lba + Chunks[j].Blocks - 1;
            parts.Add($"LBA {first}-{last} {word}");
            i = j + 1;
        }
        var text = new StringBuilder(string.Join(", ", parts));
        if (_file is not null)
            text.Append($"; {_file} keeps the first {BytesDoneInOrder} bytes ({BytesDoneInOrder / (ulong)_blockSize} blocks)");
        return text.ToString();
    }

    private string WordFor(int index)
    {
        if (!IsWrite)
            return index < _doneInOrder ? (What == "verify" ? "verified" : "read") : (What == "verify" ? "not verified" : "not read");
        return _states[index] switch
        {
            State.Acknowledged => "written",
            State.NotSent => "not sent",
            _ => "unknown (in flight: they may or may not be on the disk)",
        };
    }

    private ulong Bytes(Chunk chunk) => chunk.Blocks * (ulong)_blockSize;
}
