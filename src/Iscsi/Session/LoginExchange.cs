using Iscsi.Login;
using Iscsi.Pdu;
using LoginStage = Iscsi.Login.LoginStage;

namespace Iscsi.Session;

/// <summary>What a login conversation ended with.</summary>
internal sealed class LoginOutcome
{
    public LoginStateMachine? Machine { get; init; }
    public string? RedirectAddress { get; init; }
    public uint ExpCmdSn { get; init; }
    public uint MaxCmdSn { get; init; }
    public uint ExpStatSn { get; init; }
    public ushort Tsih { get; init; }
}

/// <summary>
/// Drives the no-I/O <see cref="LoginStateMachine"/> over a transport: each step it asks for becomes a
/// Login Request, each Login Response goes back to it. Login PDUs never carry digests.
/// </summary>
internal static class LoginExchange
{
    private const uint LoginTaskTag = 0;

    public static async Task<LoginOutcome> RunAsync(IscsiTransport transport, PduReader reader, LoginStateMachine machine,
        ulong isid, ushort tsih, uint initialCmdSn, CancellationToken cancellationToken)
    {
        var bhs = new byte[Bhs.Length];
        uint expStatSn = 0;
        uint expCmdSn = initialCmdSn, maxCmdSn = initialCmdSn;
        for (int exchanges = 0; ; exchanges++)
        {
            // A target that keeps us talking forever is as broken as one that stops answering.
            if (exchanges > 64)
                throw new IscsiProtocolException("The login did not finish after 64 exchanges.", "LoginNotConverging");

            var step = machine.NextRequest();
            new LoginRequest
            {
                Transit = step.Transit,
                Continue = step.Continue,
                CurrentStage = (byte)step.CurrentStage,
                NextStage = (byte)step.NextStage,
                VersionMax = 0,
                VersionMin = 0,
                DataSegmentLength = step.Data.Length,
                Isid = isid,
                Tsih = tsih,
                InitiatorTaskTag = LoginTaskTag,
                Cid = 0,
                CmdSn = initialCmdSn,
                ExpStatSn = expStatSn,
            }.WriteTo(bhs);
            await transport.SendAsync(bhs, step.Data, cancellationToken).ConfigureAwait(false);

            int dsl = await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            var opcode = Bhs.GetOpcode(reader.Header);
            if (opcode == Opcode.Reject && Reject.TryRead(reader.Header, out var reject))
            {
                await reader.SkipSegmentAsync(dsl, cancellationToken).ConfigureAwait(false);
                throw new IscsiProtocolException(
                    $"The target rejected the login request: {RejectReasons.Describe(reject.Reason)}.", "LoginRejected");
            }
            if (!LoginResponse.TryRead(reader.Header, out var response))
                throw new IscsiProtocolException($"Expected a Login Response during login, got {opcode}.", "UnexpectedPdu");
            byte[] data;
            using (var segment = await reader.ReadSegmentAsync(dsl, cancellationToken).ConfigureAwait(false))
                data = segment.Span.ToArray();

            expStatSn = response.StatSn + 1;
            if (response.StatusClass == 0)
            {
                expCmdSn = response.ExpCmdSn;
                maxCmdSn = response.MaxCmdSn;
            }
            var progress = machine.HandleResponse(new LoginResponseInfo(response.StatusClass, response.StatusDetail,
                response.Transit, response.Continue, (LoginStage)response.CurrentStage, (LoginStage)response.NextStage,
                response.Tsih, data));
            switch (progress)
            {
                case LoginProgress.Complete:
                    return new LoginOutcome
                    {
                        Machine = machine, ExpCmdSn = expCmdSn, MaxCmdSn = maxCmdSn, ExpStatSn = expStatSn, Tsih = response.Tsih,
                    };
                case LoginProgress.Redirect:
                    return new LoginOutcome { RedirectAddress = machine.RedirectAddress };
            }
        }
    }
}
