namespace Iscsi.Login;

/// <summary>The parts of a Login Response (RFC 7143 11.13) the login state machine needs, already decoded
/// from the BHS by the session layer. <paramref name="Data"/> is the data segment without padding.</summary>
public readonly record struct LoginResponseInfo(byte StatusClass, byte StatusDetail, bool Transit, bool Continue,
    LoginStage CurrentStage, LoginStage NextStage, ushort Tsih, ReadOnlyMemory<byte> Data);
