using Iscsi.Pdu;

namespace Iscsi.Tests.Fakes;

/// <summary>Well-formed target PDUs built with the engine's codec. Each takes a template for the fields a test
/// cares about and fills in StatSN/ExpCmdSN/MaxCmdSN and DataSegmentLength from the connection's bookkeeping.</summary>
internal sealed partial class FakeConnection
{
    private const uint NoTag = Bhs.ReservedTag;

    public Task SendScsiResponseAsync(ScsiResponse template, byte[]? sense = null, byte[]? responseData = null)
    {
        byte[] data = [];
        if (sense is not null || responseData is not null)
        {
            data = new byte[2 + (sense?.Length ?? 0) + (responseData?.Length ?? 0)];
            ScsiResponseData.Write(data, sense, responseData);
        }
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: true);
        return Send(b => (template with { StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }).WriteTo(b), data);
    }

    /// <summary>GOOD status, nothing else, for the command with tag <paramref name="itt"/>.</summary>
    public Task SendGoodAsync(uint itt) => SendScsiResponseAsync(new ScsiResponse { InitiatorTaskTag = itt });

    /// <summary>A Data-In; StatSN is taken only when the template carries status (S bit).</summary>
    public Task SendDataInAsync(DataIn template, ReadOnlyMemory<byte> data)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: template.HasStatus);
        return Send(b => (template with
        {
            StatSn = template.HasStatus ? statSn : 0, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length,
            TargetTransferTag = template.TargetTransferTag == 0 ? NoTag : template.TargetTransferTag,
        }).WriteTo(b), data);
    }

    /// <summary>A NOP-In: an answer (ITT given, StatSN taken) or an unsolicited one (ITT 0xffffffff), which is also
    /// how a target pushes a new ExpCmdSN/MaxCmdSN to an idle initiator.</summary>
    public Task SendNopInAsync(NopIn template, ReadOnlyMemory<byte> data = default)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: template.InitiatorTaskTag != NoTag);
        return Send(b => (template with { StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }).WriteTo(b), data);
    }

    /// <summary>An unsolicited NOP-In that wants no answer: carries the current window.</summary>
    public Task SendWindowUpdateAsync() => SendNopInAsync(new NopIn { InitiatorTaskTag = NoTag, TargetTransferTag = NoTag });

    public Task SendAsyncMessageAsync(AsyncMessage template, ReadOnlyMemory<byte> data = default)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: true);
        return Send(b => (template with { StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }).WriteTo(b), data);
    }

    /// <summary>Rejects <paramref name="rejected"/>: the data segment is its BHS (RFC 7143 11.17).</summary>
    public Task SendRejectAsync(ReceivedPdu rejected, RejectReason reason)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: true);
        return Send(b => new Reject
        {
            Reason = (byte)reason, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = Bhs.Length,
        }.WriteTo(b), rejected.Header);
    }

    public Task SendTaskManagementResponseAsync(uint itt, byte response)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: true);
        return Send(b => new TaskManagementResponse
        {
            Response = response, InitiatorTaskTag = itt, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
        }.WriteTo(b), default);
    }

    public Task SendReadyToTransferAsync(ReadyToTransfer template)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: false);
        return Send(b => (template with { StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }).WriteTo(b), default);
    }

    public Task SendLogoutResponseAsync(uint itt)
    {
        var (statSn, exp, max) = TakeNumbers(advanceStatSn: true);
        return Send(b => new LogoutResponse { InitiatorTaskTag = itt, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(b), default);
    }

    /// <summary>What a plain, healthy target does: reads return zeros with status in the last Data-In, other commands
    /// GOOD, pings are answered, task management succeeds, logout is confirmed and the connection closed.</summary>
    public async Task AnswerDefaultAsync(ReceivedPdu pdu)
    {
        switch (pdu.Opcode)
        {
            case Opcode.ScsiCommand:
                var command = pdu.ScsiCommand;
                if (command.Read && command.ExpectedDataTransferLength > 0 && !command.Write)
                {
                    // Zeros, in PDUs no larger than the initiator accepts, status in the last one.
                    int total = (int)command.ExpectedDataTransferLength, chunk = InitiatorMaxRecvDataSegmentLength;
                    for (int offset = 0; offset < total; offset += chunk)
                    {
                        bool last = offset + chunk >= total;
                        await SendDataInAsync(new DataIn
                        {
                            InitiatorTaskTag = pdu.InitiatorTaskTag, Final = last, HasStatus = last, Lun = command.Lun,
                            BufferOffset = (uint)offset, DataSn = (uint)(offset / chunk),
                        }, new byte[Math.Min(chunk, total - offset)]).ConfigureAwait(false);
                    }
                }
                else
                    await SendGoodAsync(pdu.InitiatorTaskTag).ConfigureAwait(false);
                break;
            case Opcode.NopOut when pdu.InitiatorTaskTag != NoTag:
                await SendNopInAsync(new NopIn { InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = NoTag, Lun = pdu.NopOut.Lun }, pdu.Data)
                    .ConfigureAwait(false);
                break;
            case Opcode.TaskManagementRequest:
                await SendTaskManagementResponseAsync(pdu.InitiatorTaskTag, 0).ConfigureAwait(false);
                break;
            case Opcode.TextRequest:
                var (statSn, exp, max) = TakeNumbers(advanceStatSn: true);
                await Send(b => new TextResponse
                {
                    Final = true, InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = NoTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
                }.WriteTo(b), default).ConfigureAwait(false);
                break;
            case Opcode.LogoutRequest:
                await SendLogoutResponseAsync(pdu.InitiatorTaskTag).ConfigureAwait(false);
                Close();
                break;
        }
    }

    /// <summary>Builds a BHS with <paramref name="write"/> (which gets a zeroed 48-byte array) and sends it.</summary>
    public Task SendPduAsync(Action<byte[]> write, ReadOnlyMemory<byte> data = default, bool corruptHeaderDigest = false)
    {
        var bhs = new byte[Bhs.Length];
        write(bhs);
        return SendPduAsync(bhs, data, corruptHeaderDigest);
    }

    private Task Send(Action<byte[]> write, ReadOnlyMemory<byte> data) => SendPduAsync(write, data);
}
