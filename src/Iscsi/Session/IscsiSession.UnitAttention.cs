using Iscsi.Scsi;

namespace Iscsi.Session;

/*  UNIT ATTENTION: the rule is in Scsi/UnitAttention.cs; this is where the session applies it, on the receive
    thread, when a command completes with CHECK CONDITION (or a SCSI asynchronous event carries the sense).  */
public sealed partial class IscsiSession
{
    private const int MaxUnitAttentionRepeats = 3;

    /// <summary>What the session remembers about its LUs (capacities); forgotten on unit attentions and reconnects.</summary>
    internal LunKnowledge Luns { get; } = new();

    /// <summary>A LU reported a UNIT ATTENTION, absorbed or not. Raised on a pool thread, after the fact.</summary>
    public event EventHandler<UnitAttentionEventArgs>? UnitAttentionReceived;

    /// <summary>Applies the rule to a command's CHECK CONDITION; true when the command is to be sent again.</summary>
    private bool AbsorbsUnitAttention(ScsiCommandState state, ReadOnlySpan<byte> sense)
    {
        if (sense.IsEmpty || SenseData.Parse(sense) is not { SenseKey: SenseKey.UnitAttention } condition) return false;
        bool absorb = UnitAttention.IsAbsorbed(condition)
            && (state.RepeatedAfterReconnect || !state.Command.RawUnitAttention)
            && state.UnitAttentionRepeats < MaxUnitAttentionRepeats;
        NoteUnitAttention(state.Command.Lun, condition, absorb ? state.Cdb : null);
        if (absorb) Interlocked.Increment(ref _counters.UnitAttentionsAbsorbed);
        return absorb;
    }

    /// <summary>Forgets what the condition says may have changed and tells subscribers.</summary>
    private void NoteUnitAttention(int lun, SenseData condition, byte[]? absorbedCdb)
    {
        if (UnitAttention.ForgetsEveryLun(condition)) Luns.ForgetAll();
        else Luns.Forget(lun);
        Raise(UnitAttentionReceived, new UnitAttentionEventArgs
        {
            Lun = lun, Sense = condition, Absorbed = absorbedCdb is not null,
            CommandName = absorbedCdb is { Length: > 0 } cdb ? CdbInfo.Name(cdb[0]) : null,
        });
    }
}

/// <summary>A UNIT ATTENTION reported by a LU: by a command's CHECK CONDITION or a SCSI asynchronous event.</summary>
public sealed class UnitAttentionEventArgs : EventArgs
{
    public required int Lun { get; init; }
    public required SenseData Sense { get; init; }
    /// <summary>The session sent the command again (power on/reset, ASC 29h); false when the caller got it.</summary>
    public bool Absorbed { get; init; }
    /// <summary>The command that was sent again, when absorbed (e.g. "READ(10)").</summary>
    public string? CommandName { get; init; }

    public override string ToString()
        => $"LUN {Lun} reported UNIT ATTENTION {ScsiOutcomeText.AscAscq(Sense)} {Sense.Description}"
           + (Absorbed ? $"; {CommandName ?? "the command"} was sent again" : "");
}
