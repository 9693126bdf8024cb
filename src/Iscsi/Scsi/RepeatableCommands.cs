namespace Iscsi.Scsi;

/// <summary>
/// Which commands may be sent again after a lost connection (or a data digest error) without changing what
/// the device ends up holding. After a connection loss the initiator cannot know whether a command in flight
/// ran: repeating a READ or an INQUIRY is harmless, and so is repeating a WRITE of the same data to the same
/// blocks, but COMPARE AND WRITE, PERSISTENT RESERVE OUT, WRITE BUFFER (firmware) or FORMAT UNIT must not run twice.
/// </summary>
/// <remarks>
/// Writes are on the list because they are idempotent for this initiator: the blocks end with the data the
/// caller asked for. The one case this does not cover is another initiator writing the same blocks between the
/// two attempts; callers that share blocks with others can opt out per command (<see cref="ScsiCommand.RepeatOnReconnect"/>).
/// Unknown opcodes are not repeated.
/// </remarks>
public static class RepeatableCommands
{
    private const byte ServiceActionIn16 = 0x9E;
    private const byte ReadCapacity16ServiceAction = 0x10;
    private const byte GetLbaStatusServiceAction = 0x12;

    /// <summary>True when the command described by <paramref name="cdb"/> may safely run more than once.</summary>
    public static bool IsRepeatable(ReadOnlySpan<byte> cdb)
    {
        if (cdb.IsEmpty) return false;
        byte opcode = cdb[0];
        if (opcode == ServiceActionIn16)
            return cdb.Length > 1 && (cdb[1] & 0x1F) is ReadCapacity16ServiceAction or GetLbaStatusServiceAction;
        return opcode switch
        {
            // Reads and inquiries: no effect on the medium.
            0x00 or // TEST UNIT READY
            0x03 or // REQUEST SENSE
            0x08 or 0x28 or 0xA8 or 0x88 or // READ (6/10/12/16)
            0x12 or // INQUIRY
            0x1A or 0x5A or // MODE SENSE (6/10)
            0x1C or // RECEIVE DIAGNOSTIC RESULTS
            0x25 or // READ CAPACITY (10)
            0x2F or 0xAF or 0x8F or // VERIFY (10/12/16)
            0x34 or 0x90 or // PRE-FETCH (10/16)
            0x37 or 0xB7 or // READ DEFECT DATA (10/12)
            0x3C or // READ BUFFER
            0x4D or // LOG SENSE
            0x5E or // PERSISTENT RESERVE IN
            0xA0 or // REPORT LUNS
            0xA3 => true, // MAINTENANCE IN (REPORT SUPPORTED OPERATION CODES, REPORT TARGET PORT GROUPS...)
            // Writes of given data to given blocks, and cache flushes: repeating leaves the same result.
            0x0A or 0x2A or 0xAA or 0x8A or // WRITE (6/10/12/16)
            0x2E or 0xAE or 0x8E or // WRITE AND VERIFY (10/12/16)
            0x41 or 0x93 or // WRITE SAME (10/16)
            0x42 or // UNMAP
            0x35 or 0x91 => true, // SYNCHRONIZE CACHE (10/16)
            _ => false,
        };
    }
}
