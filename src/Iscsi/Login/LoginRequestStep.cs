namespace Iscsi.Login;

/// <summary>One Login Request to send, in plain values: the session layer puts the flags and stages in the
/// BHS (RFC 7143 11.12) and <paramref name="Data"/> (encoded text keys) in the data segment.</summary>
/// <param name="Transit">T bit: we are ready to move to <paramref name="NextStage"/>.</param>
/// <param name="Continue">C bit: always false, our requests are small enough for one PDU.</param>
/// <param name="CurrentStage">CSG.</param>
/// <param name="NextStage">NSG; zero (reserved) when <paramref name="Transit"/> is false.</param>
/// <param name="Data">"key=value\0" text, possibly empty.</param>
public readonly record struct LoginRequestStep(bool Transit, bool Continue, LoginStage CurrentStage, LoginStage NextStage, byte[] Data);
