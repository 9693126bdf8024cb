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
    private const int QuotedBytes = 24;

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

            int dsl;
            try
            {
                dsl = await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IscsiProtocolException ex) when (exchanges == 0 && !IsLoginAnswer(reader.PeekReceived(1)))
            {
                throw NotAnIscsiPortal(transport, reader.PeekReceived(QuotedBytes), ex);
            }
            var opcode = Bhs.GetOpcode(reader.Header);
            if (exchanges == 0 && !IsLoginAnswer(reader.Header))
                throw NotAnIscsiPortal(transport, reader.Header, null);
            if (opcode == Opcode.Reject && Reject.TryRead(reader.Header, out var reject))
            {
                await reader.SkipSegmentAsync(dsl, cancellationToken).ConfigureAwait(false);
                throw new IscsiProtocolException(
                    $"The target rejected the login request: {RejectReasons.Describe(reject.Reason)}.", "LoginRejected");
            }
            if (!LoginResponse.TryRead(reader.Header, out var response))
                throw new IscsiProtocolException($"Expected a Login Response during login, got a {OpcodeNames.Describe(opcode)}.", "UnexpectedPdu");
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

    /// <summary>The first answer to our first Login Request is no iSCSI PDU a target would send: whatever listens there
    /// (a web server, an SSH daemon...) is not an iSCSI portal. Its first bytes are quoted, control characters escaped.</summary>
    private static IscsiProtocolException NotAnIscsiPortal(IscsiTransport transport, ReadOnlySpan<byte> received, Exception? inner)
        => new($"The service at {transport.Host}:{transport.Port} is not an iSCSI portal: it answered the login with " +
               $"\"{Printable(received)}\"..., which is no iSCSI Login Response. Check the address and port (iSCSI's is 3260).",
               "NotAnIscsiPortal", inner);

    // A target's answer to a Login Request is a Login Response or, for a malformed request, a Reject (byte 0 holds
    // the opcode). A broken target's broken Login Response is reported as what it is, not as "no iSCSI portal".
    private static bool IsLoginAnswer(ReadOnlySpan<byte> header)
        => !header.IsEmpty && (Opcode)(header[0] & 0x3F) is Opcode.LoginResponse or Opcode.Reject;

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder(QuotedBytes * 4);
        foreach (byte b in bytes[..Math.Min(QuotedBytes, bytes.Length)])
        {
            if (b is >= 0x20 and < 0x7F && b != (byte)'"' && b != (byte)'\\') text.Append((char)b);
            else text.Append($"\\x{b:X2}");
        }
        return text.ToString();
    }
}
