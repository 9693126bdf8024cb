using System.Buffers.Binary;

namespace Iscsi.Scsi;

public static partial class Cdb
{
    /// <summary>PERSISTENT RESERVE IN (SPC-5 6.16).</summary>
    /// <remarks><code>
    /// 0 | 5Eh | 1 | SERVICE ACTION (4-0) | 7-8 | ALLOCATION LENGTH | 9 | CONTROL
    /// </code></remarks>
    public static byte[] PersistentReserveIn(PersistentReserveInServiceAction serviceAction, ushort allocationLength)
    {
        if ((byte)serviceAction > 0x1F)
            throw new IscsiArgumentException("ServiceActionInvalid", $"PERSISTENT RESERVE IN service action 0x{(byte)serviceAction:X2} does not fit 5 bits.");
        var cdb = new byte[10];
        cdb[0] = ScsiOpcodes.PersistentReserveIn;
        cdb[1] = (byte)serviceAction;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), allocationLength);
        return cdb;
    }

    /// <summary>PERSISTENT RESERVE OUT (SPC-5 6.17); scope is 0 (LU_SCOPE) in current standards.</summary>
    /// <remarks><code>
    /// 0 | 5Fh | 1 | SERVICE ACTION (4-0) | 2 | SCOPE (7-4) TYPE (3-0) | 5-8 | PARAMETER LIST LENGTH | 9 | CONTROL
    /// </code></remarks>
    public static byte[] PersistentReserveOut(PersistentReserveOutServiceAction serviceAction, byte scope,
        PersistentReservationType type, uint parameterListLength)
    {
        if ((byte)serviceAction > 0x1F)
            throw new IscsiArgumentException("ServiceActionInvalid", $"PERSISTENT RESERVE OUT service action 0x{(byte)serviceAction:X2} does not fit 5 bits.");
        if (scope > 0x0F)
            throw new IscsiArgumentException("ScopeInvalid", $"Persistent reservation scope {scope} does not fit 4 bits.");
        if ((byte)type > 0x0F)
            throw new IscsiArgumentException("ReservationTypeInvalid", $"Persistent reservation type {(byte)type} does not fit 4 bits.");
        var cdb = new byte[10];
        cdb[0] = ScsiOpcodes.PersistentReserveOut;
        cdb[1] = (byte)serviceAction;
        cdb[2] = (byte)(scope << 4 | (byte)type);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(5), parameterListLength);
        return cdb;
    }

    /// <summary>START STOP UNIT (SBC-4 5.31); powerCondition 0 means "use START and LOEJ".</summary>
    /// <remarks><code>
    /// 0 | 1Bh | 1 | IMMED (bit 0) | 3 | POWER CONDITION MODIFIER (3-0) | 4 | POWER CONDITION (7-4) NO_FLUSH (2) LOEJ (1) START (0) | 5 | CONTROL
    /// </code></remarks>
    public static byte[] StartStopUnit(bool immed, byte powerCondition, bool loej, bool start, byte powerConditionModifier = 0, bool noFlush = false)
    {
        if (powerCondition > 0x0F)
            throw new IscsiArgumentException("PowerConditionInvalid", $"Power condition {powerCondition} does not fit 4 bits.");
        if (powerConditionModifier > 0x0F)
            throw new IscsiArgumentException("PowerConditionInvalid", $"Power condition modifier {powerConditionModifier} does not fit 4 bits.");
        var cdb = new byte[6];
        cdb[0] = ScsiOpcodes.StartStopUnit;
        cdb[1] = (byte)(immed ? 0x01 : 0x00);
        cdb[3] = powerConditionModifier;
        cdb[4] = (byte)(powerCondition << 4 | (noFlush ? 0x04 : 0) | (loej ? 0x02 : 0) | (start ? 0x01 : 0));
        return cdb;
    }

    /// <summary>REPORT SUPPORTED OPERATION CODES (SPC-5 6.35); options is the 3-bit REPORTING OPTIONS field
    /// (0 = all commands, 1 = one opcode, 2 = opcode + service action, 3 = either).</summary>
    /// <remarks><code>
    /// 0 | A3h | 1 | SERVICE ACTION 0Ch | 2 | RCTD (7) REPORTING OPTIONS (2-0) | 3 | REQUESTED OPERATION CODE
    /// 4-5 | REQUESTED SERVICE ACTION | 6-9 | ALLOCATION LENGTH | 11 | CONTROL
    /// </code></remarks>
    public static byte[] ReportSupportedOperationCodes(byte options, byte opcode, ushort serviceAction, uint allocationLength, bool returnTimeouts = false)
    {
        if (options > 7)
            throw new IscsiArgumentException("ReportingOptionsInvalid", $"REPORTING OPTIONS {options} does not fit 3 bits.");
        var cdb = new byte[12];
        cdb[0] = ScsiOpcodes.MaintenanceIn;
        cdb[1] = ScsiOpcodes.ReportSupportedOperationCodesServiceAction;
        cdb[2] = (byte)((returnTimeouts ? 0x80 : 0) | options);
        cdb[3] = opcode;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(4), serviceAction);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), allocationLength);
        return cdb;
    }
}
