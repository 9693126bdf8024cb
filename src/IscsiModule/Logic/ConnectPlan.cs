using Iscsi;

namespace IscsiModule.Logic;

/// <summary>A checked connect request: where to log in and with which options.</summary>
public sealed record ConnectPlan(string Host, int Port, string NodeAddress, IscsiSessionOptions Options,
    IscsiAuthenticationType AuthenticationType, bool New);
