namespace Iscsi.Pdu;

/// <summary>Opcodes in words for messages: "SCSI Response (0x21)", or "unknown opcode 0x0E" for a value RFC 7143 does not define.</summary>
public static class OpcodeNames
{
    public static string Describe(Opcode opcode) => Name(opcode) is { } name ? $"{name} (0x{(byte)opcode:X2})" : $"unknown opcode 0x{(byte)opcode:X2}";

    private static string? Name(Opcode opcode) => opcode switch
    {
        Opcode.NopOut => "NOP-Out",
        Opcode.ScsiCommand => "SCSI Command",
        Opcode.TaskManagementRequest => "Task Management Function Request",
        Opcode.LoginRequest => "Login Request",
        Opcode.TextRequest => "Text Request",
        Opcode.DataOut => "SCSI Data-Out",
        Opcode.LogoutRequest => "Logout Request",
        Opcode.SnackRequest => "SNACK Request",
        Opcode.NopIn => "NOP-In",
        Opcode.ScsiResponse => "SCSI Response",
        Opcode.TaskManagementResponse => "Task Management Function Response",
        Opcode.LoginResponse => "Login Response",
        Opcode.TextResponse => "Text Response",
        Opcode.DataIn => "SCSI Data-In",
        Opcode.LogoutResponse => "Logout Response",
        Opcode.ReadyToTransfer => "Ready To Transfer (R2T)",
        Opcode.AsyncMessage => "Asynchronous Message",
        Opcode.Reject => "Reject",
        _ => null,
    };
}
