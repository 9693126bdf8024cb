namespace Iscsi.Login;

/// <summary>The login stages a Login Request/Response names in its CSG and NSG fields (RFC 7143 11.12.3).
/// Value 2 is reserved by the RFC, which is why the enum has a gap.</summary>
public enum LoginStage : byte
{
    SecurityNegotiation = 0,
    OperationalNegotiation = 1,
    FullFeaturePhase = 3,
}

/// <summary>What the caller of <see cref="LoginStateMachine.HandleResponse"/> does next.</summary>
public enum LoginProgress
{
    /// <summary>Send <see cref="LoginStateMachine.NextRequest"/> and feed its response back.</summary>
    SendNext,
    /// <summary>The target moved us to Full Feature Phase; <see cref="LoginStateMachine.Negotiated"/> is valid.</summary>
    Complete,
    /// <summary>The target redirected us (status class 1); reconnect to <see cref="LoginStateMachine.RedirectAddress"/>.</summary>
    Redirect,
}
