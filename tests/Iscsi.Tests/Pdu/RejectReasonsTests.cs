using Iscsi.Pdu;

namespace Iscsi.Tests.Pdu;

public class RejectReasonsTests
{
    [Fact]
    public void Codes_match_rfc7143_11_17_1()
    {
        Assert.Equal(
            new byte[] { 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c },
            new[]
            {
                RejectReason.DataDigestError, RejectReason.SnackReject, RejectReason.ProtocolError,
                RejectReason.CommandNotSupported, RejectReason.ImmediateCommandRejected, RejectReason.TaskInProgress,
                RejectReason.InvalidDataAck, RejectReason.InvalidPduField, RejectReason.LongOperationReject,
                RejectReason.NegotiationReset, RejectReason.WaitingForLogout,
            }.Select(r => (byte)r));
    }

    [Fact]
    public void Every_defined_reason_has_its_own_text()
    {
        var texts = Enum.GetValues<RejectReason>().Select(r => RejectReasons.Describe((byte)r)).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.All(texts, t => Assert.DoesNotContain("unknown", t));
        Assert.Contains("digest", RejectReasons.Describe(0x02));
    }

    [Theory]
    [InlineData(0x00, "0x00")]
    [InlineData(0x0d, "0x0D")]
    [InlineData(0xff, "0xFF")]
    public void Unknown_reasons_are_described_not_thrown(byte reason, string shown)
    {
        Assert.Contains(shown, RejectReasons.Describe(reason));
    }

    [Fact]
    public void Other_code_tables_match_the_rfc()
    {
        Assert.Equal((0, 1, 2, 3, 4, 0xff), ((int)AsyncEventCode.ScsiAsyncEvent, (int)AsyncEventCode.LogoutRequest,
            (int)AsyncEventCode.DropConnection, (int)AsyncEventCode.DropAllConnections,
            (int)AsyncEventCode.RequestTextNegotiation, (int)AsyncEventCode.VendorSpecific));
        Assert.Equal((0, 1, 2), ((int)LogoutReason.CloseSession, (int)LogoutReason.CloseConnection,
            (int)LogoutReason.RemoveConnectionForRecovery));
    }
}
