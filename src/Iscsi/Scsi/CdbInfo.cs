using System.Collections.Frozen;

namespace Iscsi.Scsi;

/// <summary>Facts about a CDB the module needs before sending it: its name, and whether it may change data
/// (so ShouldProcess / -WhatIf can guard it).</summary>
public static class CdbInfo
{
    private static readonly FrozenDictionary<byte, string> Names = new Dictionary<byte, string>
    {
        [ScsiOpcodes.TestUnitReady] = "TEST UNIT READY",
        [ScsiOpcodes.RezeroUnit] = "REZERO UNIT",
        [ScsiOpcodes.RequestSense] = "REQUEST SENSE",
        [ScsiOpcodes.FormatUnit] = "FORMAT UNIT",
        [ScsiOpcodes.ReassignBlocks] = "REASSIGN BLOCKS",
        [ScsiOpcodes.Read6] = "READ(6)",
        [ScsiOpcodes.Write6] = "WRITE(6)",
        [ScsiOpcodes.Inquiry] = "INQUIRY",
        [ScsiOpcodes.ModeSelect6] = "MODE SELECT(6)",
        [ScsiOpcodes.Reserve6] = "RESERVE(6)",
        [ScsiOpcodes.Release6] = "RELEASE(6)",
        [ScsiOpcodes.ModeSense6] = "MODE SENSE(6)",
        [ScsiOpcodes.StartStopUnit] = "START STOP UNIT",
        [ScsiOpcodes.ReceiveDiagnosticResults] = "RECEIVE DIAGNOSTIC RESULTS",
        [ScsiOpcodes.SendDiagnostic] = "SEND DIAGNOSTIC",
        [ScsiOpcodes.PreventAllowMediumRemoval] = "PREVENT ALLOW MEDIUM REMOVAL",
        [ScsiOpcodes.ReadCapacity10] = "READ CAPACITY(10)",
        [ScsiOpcodes.Read10] = "READ(10)",
        [ScsiOpcodes.Write10] = "WRITE(10)",
        [ScsiOpcodes.WriteAndVerify10] = "WRITE AND VERIFY(10)",
        [ScsiOpcodes.Verify10] = "VERIFY(10)",
        [ScsiOpcodes.PreFetch10] = "PRE-FETCH(10)",
        [ScsiOpcodes.SynchronizeCache10] = "SYNCHRONIZE CACHE(10)",
        [ScsiOpcodes.ReadDefectData10] = "READ DEFECT DATA(10)",
        [ScsiOpcodes.WriteBuffer] = "WRITE BUFFER",
        [ScsiOpcodes.ReadBuffer] = "READ BUFFER",
        [ScsiOpcodes.ReadLong10] = "READ LONG(10)",
        [ScsiOpcodes.WriteLong10] = "WRITE LONG(10)",
        [ScsiOpcodes.WriteSame10] = "WRITE SAME(10)",
        [ScsiOpcodes.Unmap] = "UNMAP",
        [ScsiOpcodes.Sanitize] = "SANITIZE",
        [ScsiOpcodes.LogSelect] = "LOG SELECT",
        [ScsiOpcodes.LogSense] = "LOG SENSE",
        [ScsiOpcodes.ModeSelect10] = "MODE SELECT(10)",
        [ScsiOpcodes.Reserve10] = "RESERVE(10)",
        [ScsiOpcodes.Release10] = "RELEASE(10)",
        [ScsiOpcodes.ModeSense10] = "MODE SENSE(10)",
        [ScsiOpcodes.PersistentReserveIn] = "PERSISTENT RESERVE IN",
        [ScsiOpcodes.PersistentReserveOut] = "PERSISTENT RESERVE OUT",
        [ScsiOpcodes.VariableLength] = "VARIABLE LENGTH",
        [ScsiOpcodes.ExtendedCopy] = "THIRD-PARTY COPY OUT",
        [ScsiOpcodes.ReceiveCopyResults] = "THIRD-PARTY COPY IN",
        [ScsiOpcodes.AtaPassThrough16] = "ATA PASS-THROUGH(16)",
        [ScsiOpcodes.Read16] = "READ(16)",
        [ScsiOpcodes.CompareAndWrite] = "COMPARE AND WRITE",
        [ScsiOpcodes.Write16] = "WRITE(16)",
        [ScsiOpcodes.OrWrite16] = "ORWRITE(16)",
        [ScsiOpcodes.WriteAndVerify16] = "WRITE AND VERIFY(16)",
        [ScsiOpcodes.Verify16] = "VERIFY(16)",
        [ScsiOpcodes.PreFetch16] = "PRE-FETCH(16)",
        [ScsiOpcodes.SynchronizeCache16] = "SYNCHRONIZE CACHE(16)",
        [ScsiOpcodes.WriteSame16] = "WRITE SAME(16)",
        [ScsiOpcodes.ZoneManagementOut] = "ZONE MANAGEMENT OUT",
        [ScsiOpcodes.ZoneManagementIn] = "ZONE MANAGEMENT IN",
        [ScsiOpcodes.WriteAtomic16] = "WRITE ATOMIC(16)",
        [ScsiOpcodes.ServiceActionIn16] = "SERVICE ACTION IN(16)",
        [ScsiOpcodes.ServiceActionOut16] = "SERVICE ACTION OUT(16)",
        [ScsiOpcodes.ReportLuns] = "REPORT LUNS",
        [ScsiOpcodes.AtaPassThrough12] = "ATA PASS-THROUGH(12)",
        [ScsiOpcodes.SecurityProtocolIn] = "SECURITY PROTOCOL IN",
        [ScsiOpcodes.MaintenanceIn] = "MAINTENANCE IN",
        [ScsiOpcodes.MaintenanceOut] = "MAINTENANCE OUT",
        [ScsiOpcodes.Read12] = "READ(12)",
        [ScsiOpcodes.Write12] = "WRITE(12)",
        [ScsiOpcodes.WriteAndVerify12] = "WRITE AND VERIFY(12)",
        [ScsiOpcodes.Verify12] = "VERIFY(12)",
        [ScsiOpcodes.SecurityProtocolOut] = "SECURITY PROTOCOL OUT",
        [ScsiOpcodes.ReadDefectData12] = "READ DEFECT DATA(12)",
    }.ToFrozenDictionary();

    // An allow-list on purpose: anything not known to leave the medium and the device state alone
    // (including every opcode we do not know) counts as changing data and goes through ShouldProcess.
    private static readonly FrozenSet<byte> NonChanging = new[]
    {
        ScsiOpcodes.TestUnitReady, ScsiOpcodes.RequestSense, ScsiOpcodes.Read6, ScsiOpcodes.Inquiry,
        ScsiOpcodes.ModeSense6, ScsiOpcodes.ReceiveDiagnosticResults, ScsiOpcodes.ReadCapacity10,
        ScsiOpcodes.Read10, ScsiOpcodes.Verify10, ScsiOpcodes.PreFetch10, ScsiOpcodes.SynchronizeCache10,
        ScsiOpcodes.ReadDefectData10, ScsiOpcodes.ReadBuffer, ScsiOpcodes.ReadLong10, ScsiOpcodes.LogSense,
        ScsiOpcodes.ModeSense10, ScsiOpcodes.PersistentReserveIn, ScsiOpcodes.ReceiveCopyResults,
        ScsiOpcodes.Read16, ScsiOpcodes.Verify16, ScsiOpcodes.PreFetch16, ScsiOpcodes.SynchronizeCache16,
        ScsiOpcodes.ZoneManagementIn, ScsiOpcodes.ServiceActionIn16, ScsiOpcodes.ReportLuns,
        ScsiOpcodes.SecurityProtocolIn, ScsiOpcodes.MaintenanceIn, ScsiOpcodes.Read12, ScsiOpcodes.Verify12,
        ScsiOpcodes.ReadDefectData12,
    }.ToFrozenSet();

    /// <summary>The command's standard name, e.g. "READ(10)"; "OPCODE 0xNN" when unknown.</summary>
    public static string Name(byte opcode) => Names.TryGetValue(opcode, out var name) ? name : $"OPCODE 0x{opcode:X2}";

    /// <summary>True when the CDB may change data or device state; an empty CDB or unknown opcode counts as changing.</summary>
    public static bool IsDataChanging(ReadOnlySpan<byte> cdb) => cdb.IsEmpty || !NonChanging.Contains(cdb[0]);
}
