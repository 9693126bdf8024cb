namespace Iscsi.Scsi;

/// <summary>SCSI operation codes (SPC-5 / SBC-4 operation code tables) used by the engine and the module.</summary>
public static class ScsiOpcodes
{
    public const byte TestUnitReady = 0x00;
    public const byte RezeroUnit = 0x01;
    public const byte RequestSense = 0x03;
    public const byte FormatUnit = 0x04;
    public const byte ReassignBlocks = 0x07;
    public const byte Read6 = 0x08;
    public const byte Write6 = 0x0A;
    public const byte Inquiry = 0x12;
    public const byte ModeSelect6 = 0x15;
    public const byte Reserve6 = 0x16;
    public const byte Release6 = 0x17;
    public const byte ModeSense6 = 0x1A;
    public const byte StartStopUnit = 0x1B;
    public const byte ReceiveDiagnosticResults = 0x1C;
    public const byte SendDiagnostic = 0x1D;
    public const byte PreventAllowMediumRemoval = 0x1E;
    public const byte ReadCapacity10 = 0x25;
    public const byte Read10 = 0x28;
    public const byte Write10 = 0x2A;
    public const byte WriteAndVerify10 = 0x2E;
    public const byte Verify10 = 0x2F;
    public const byte PreFetch10 = 0x34;
    public const byte SynchronizeCache10 = 0x35;
    public const byte ReadDefectData10 = 0x37;
    public const byte WriteBuffer = 0x3B;
    public const byte ReadBuffer = 0x3C;
    public const byte ReadLong10 = 0x3E;
    public const byte WriteLong10 = 0x3F;
    public const byte WriteSame10 = 0x41;
    public const byte Unmap = 0x42;
    public const byte Sanitize = 0x48;
    public const byte LogSelect = 0x4C;
    public const byte LogSense = 0x4D;
    public const byte ModeSelect10 = 0x55;
    public const byte Reserve10 = 0x56;
    public const byte Release10 = 0x57;
    public const byte ModeSense10 = 0x5A;
    public const byte PersistentReserveIn = 0x5E;
    public const byte PersistentReserveOut = 0x5F;
    public const byte VariableLength = 0x7F;
    public const byte ExtendedCopy = 0x83;
    public const byte ReceiveCopyResults = 0x84;
    public const byte AtaPassThrough16 = 0x85;
    public const byte Read16 = 0x88;
    public const byte CompareAndWrite = 0x89;
    public const byte Write16 = 0x8A;
    public const byte OrWrite16 = 0x8B;
    public const byte WriteAndVerify16 = 0x8E;
    public const byte Verify16 = 0x8F;
    public const byte PreFetch16 = 0x90;
    public const byte SynchronizeCache16 = 0x91;
    public const byte WriteSame16 = 0x93;
    public const byte ZoneManagementOut = 0x94;
    public const byte ZoneManagementIn = 0x95;
    public const byte WriteAtomic16 = 0x9C;
    /// <summary>SERVICE ACTION IN(16): READ CAPACITY(16) is its service action 10h.</summary>
    public const byte ServiceActionIn16 = 0x9E;
    public const byte ServiceActionOut16 = 0x9F;
    public const byte ReportLuns = 0xA0;
    public const byte AtaPassThrough12 = 0xA1;
    public const byte SecurityProtocolIn = 0xA2;
    /// <summary>MAINTENANCE IN: REPORT SUPPORTED OPERATION CODES is its service action 0Ch.</summary>
    public const byte MaintenanceIn = 0xA3;
    public const byte MaintenanceOut = 0xA4;
    public const byte Read12 = 0xA8;
    public const byte Write12 = 0xAA;
    public const byte WriteAndVerify12 = 0xAE;
    public const byte Verify12 = 0xAF;
    public const byte SecurityProtocolOut = 0xB5;
    public const byte ReadDefectData12 = 0xB7;

    /// <summary>SERVICE ACTION IN(16) service action of READ CAPACITY(16).</summary>
    public const byte ReadCapacity16ServiceAction = 0x10;
    /// <summary>MAINTENANCE IN service action of REPORT SUPPORTED OPERATION CODES.</summary>
    public const byte ReportSupportedOperationCodesServiceAction = 0x0C;
}
