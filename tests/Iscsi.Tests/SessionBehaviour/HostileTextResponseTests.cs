using System.Text;
using Iscsi.Discovery;
using Iscsi.Pdu;
using Iscsi.Tests.Fakes;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>SendTargets (a Text exchange in a discovery session) answered with huge or malformed text: each
/// discovery fails with an IscsiProtocolException naming the problem, nothing is buffered past the limits
/// (8192-byte values, 1 MiB of text, 1024 continuations), and the discovery session is closed.</summary>
public sealed class HostileTextResponseTests
{
    [Theory]
    [InlineData("TargetName iqn.2025-01.test:a", "TextKeyMalformed", "no '='")]
    [InlineData("targetname=iqn.2025-01.test:a", "TextKeyMalformed", "capital letter")]
    [InlineData("TargetAddress=127.0.0.1:3260,1", "SendTargetsMalformed", "before any TargetName")]
    [InlineData("TargetName=iqn.2025-01.test:a\0TargetAddress=127.0.0.1:99999,1", "TargetAddressMalformed", "99999")]
    [InlineData("TargetName=iqn.2025-01.test:a\0TargetAddress=[::1,1", "TargetAddressMalformed", "bracket")]
    public async Task Malformed_sendtargets_text_is_refused(string text, string errorId, string messageNames)
    {
        var error = await DiscoverAsync(Encoding.UTF8.GetBytes(text + "\0"));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(messageNames, error.Message);
    }

    [Fact]
    public async Task A_64_KiB_value_is_refused()
    {
        var error = await DiscoverAsync(Encoding.UTF8.GetBytes("TargetName=" + new string('a', 64 * 1024) + "\0"));
        Assert.Equal("TextKeyMalformed", error.ErrorId);
        Assert.Contains("65536 bytes long; at most 8192", error.Message);
    }

    [Fact]
    public async Task A_key_name_of_200_characters_is_refused()
    {
        var error = await DiscoverAsync(Encoding.UTF8.GetBytes(new string('K', 200) + "=1\0"));
        Assert.Equal("TextKeyMalformed", error.ErrorId);
        Assert.Contains("200 characters", error.Message);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused()
    {
        var error = await DiscoverAsync([.. "TargetName=iqn.2025-01.test:"u8, 0xC0, 0x80, 0]);
        Assert.Equal("TextKeyMalformed", error.ErrorId);
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public async Task Duplicate_target_names_are_two_targets_not_an_error()
    {
        // SendTargets repeats TargetName once per target (RFC 7143 C.1): duplicates are how it lists, so they pass.
        await using var fake = TextTarget(_ => Encoding.UTF8.GetBytes("TargetName=iqn.2025-01.test:a\0TargetName=iqn.2025-01.test:a\0"), final: _ => true);
        var targets = await SendTargetsDiscovery.DiscoverAsync(FakeTarget.Host, fake.Port, FakeTarget.Options()).WaitAsync(FakeTarget.Patience);
        Assert.Equal(2, targets.Count);
    }

    [Fact]
    public async Task More_than_1_MiB_of_continued_text_is_refused()
    {
        byte[] chunk = Encoding.UTF8.GetBytes("TargetName=" + new string('n', 200) + "\0");
        byte[] big = Enumerable.Repeat(chunk, 200 * 1024 / chunk.Length).SelectMany(b => b).ToArray(); // ~200 KiB a response
        int rounds = 0;
        var error = await DiscoverAsync(_ => { Interlocked.Increment(ref rounds); return big; }, final: _ => false);
        Assert.Equal("TextResponseTooLong", error.ErrorId);
        Assert.InRange(rounds, 5, 7); // refused as soon as the total passed 1 MiB, not later
    }

    [Fact]
    public async Task A_text_exchange_that_never_ends_is_refused_after_1024_continuations()
    {
        var error = await DiscoverAsync(_ => [], final: _ => false);
        Assert.Equal("TextNotConverging", error.ErrorId);
    }

    private static Task<IscsiProtocolException> DiscoverAsync(byte[] answer) => DiscoverAsync(_ => answer, _ => true);

    private static async Task<IscsiProtocolException> DiscoverAsync(Func<int, byte[]> answer, Func<int, bool> final)
    {
        await using var fake = TextTarget(answer, final);
        var error = await Assert.ThrowsAsync<IscsiProtocolException>(() =>
            SendTargetsDiscovery.DiscoverAsync(FakeTarget.Host, fake.Port, FakeTarget.Options()).WaitAsync(TimeSpan.FromSeconds(30)));
        await fake.Connection.Closed.WaitAsync(FakeTarget.Patience);
        return error;
    }

    /// <summary>A fake that answers the n-th Text Request with <paramref name="answer"/>(n), F (and not C) when
    /// <paramref name="final"/>(n) says so, else C with a transfer tag asking for more.</summary>
    private static FakeTarget TextTarget(Func<int, byte[]> answer, Func<int, bool> final)
    {
        int requests = 0;
        return new FakeTarget((c, pdu) =>
        {
            if (pdu.Opcode != Opcode.TextRequest) return c.AnswerDefaultAsync(pdu);
            int n = Interlocked.Increment(ref requests) - 1;
            byte[] data = answer(n);
            bool last = final(n);
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            return c.SendPduAsync(b => new TextResponse
            {
                Final = last, Continue = !last, InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = last ? Bhs.ReservedTag : 0x1000u + (uint)n,
                StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length,
            }.WriteTo(b), data);
        });
    }
}
