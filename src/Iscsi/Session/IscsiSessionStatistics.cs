namespace Iscsi.Session;

/// <summary>A snapshot of a session's counters.</summary>
public sealed class IscsiSessionStatistics
{
    public long CommandsSent { get; init; }
    public long CommandsCompleted { get; init; }
    public long PdusSent { get; init; }
    public long PdusReceived { get; init; }
    public long BytesSent { get; init; }
    public long BytesReceived { get; init; }
    public long DataInBytes { get; init; }
    public long DataOutBytes { get; init; }
    public long DigestErrors { get; init; }
    public long Timeouts { get; init; }
    public long Aborts { get; init; }
    /// <summary>ABORT TASKs that got no answer and were escalated to a LOGICAL UNIT RESET.</summary>
    public long LunResetEscalations { get; init; }
    public long Rejects { get; init; }
    public long NopInReceived { get; init; }
    public long AsyncMessages { get; init; }
    /// <summary>Connections that failed under the session (each starts a reconnect, or closes the session).</summary>
    public long ConnectionLosses { get; init; }
    /// <summary>Successful logins after a connection loss (ERL 0 session reinstatements).</summary>
    public long Reconnects { get; init; }
    /// <summary>Login attempts after a connection loss that failed.</summary>
    public long ReconnectFailures { get; init; }
    /// <summary>Commands sent again: after a reconnect, or after a data digest error (absorbed unit attentions are
    /// counted in <see cref="UnitAttentionsAbsorbed"/>).</summary>
    public long CommandsRepeated { get; init; }
    /// <summary>Power-on/reset UNIT ATTENTIONs (ASC 29h) the session absorbed by sending the command again; each new
    /// session or reconnect usually costs one per LU it touches.</summary>
    public long UnitAttentionsAbsorbed { get; init; }
    /// <summary>Keepalive NOP-Outs answered (sent after KeepaliveInterval of silence).</summary>
    public long KeepalivePings { get; init; }

    /// <summary>"12 commands (12 completed), 24 PDUs out/24 in, 3 MB out/4 MB in, 0 timeouts, 0 reconnects": what a
    /// glance at a session wants; every counter is a property.</summary>
    public override string ToString()
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        string text = string.Create(culture, $"{CommandsSent} commands ({CommandsCompleted} completed), {PdusSent} PDUs out/{PdusReceived} in, ")
            + string.Create(culture, $"{BytesSent / 1e6:0.#} MB out/{BytesReceived / 1e6:0.#} MB in, {Timeouts} timeouts, {Reconnects} reconnects");
        if (DigestErrors > 0) text += string.Create(culture, $", {DigestErrors} digest errors");
        if (UnitAttentionsAbsorbed > 0) text += string.Create(culture, $", {UnitAttentionsAbsorbed} unit attentions absorbed");
        return text;
    }
}
