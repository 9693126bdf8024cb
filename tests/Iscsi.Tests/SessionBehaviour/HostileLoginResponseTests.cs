using System.Security.Cryptography;
using System.Text;
using Iscsi.Tests.Fakes;
using static Iscsi.Tests.Fakes.FakeLoginReply;

namespace Iscsi.Tests.SessionBehaviour;

/// <summary>Login Responses on the wire with huge or malformed text, and hostile CHAP challenges: the connect
/// fails with the specific ErrorId, nothing past the login limits is buffered (8192 bytes a PDU, 64 KiB of text
/// over continuations), and the connection is closed.</summary>
public sealed class HostileLoginResponseTests
{
    private const byte Security = 0, Operational = 1;
    private static readonly ChapCredential Credential = new("fuzz-user", "initiator-secret");

    [Fact]
    public Task A_login_response_longer_than_8192_bytes_is_refused_before_it_is_read() =>
        AssertRefusedAsync(n => n == 0 ? new(new byte[8193]) : null, "DataSegmentTooLong", "8193");

    [Fact]
    public Task A_key_without_a_value_separator_is_refused() =>
        AssertRefusedAsync(n => n == 0 ? new(Text("AuthMethod None")) : null, "TextKeyMalformed", "no '='");

    [Fact]
    public Task Invalid_utf8_in_a_value_is_refused() =>
        AssertRefusedAsync(n => n == 0 ? new([.. "TargetAlias=a"u8, 0xFF, 0]) : null, "TextKeyMalformed", "UTF-8");

    [Fact]
    public Task A_key_twice_in_one_response_is_refused() =>
        AssertRefusedAsync(n => n == 0 ? new(Text("AuthMethod=None", "AuthMethod=None"), Transit: true, CurrentStage: Security, NextStage: Operational) : null,
            "TextKeyDuplicated", "AuthMethod");

    [Fact]
    public Task A_9000_byte_value_over_two_continued_responses_is_refused() =>
        AssertRefusedAsync(n => n switch
        {
            0 => new(Encoding.UTF8.GetBytes("TargetAlias=" + new string('a', 6000)), Continue: true),
            1 => new(Encoding.UTF8.GetBytes(new string('a', 3000) + "\0")),
            _ => null,
        }, "TextKeyMalformed", "at most 8192");

    [Fact]
    public Task Endless_continued_text_is_refused_at_64_KiB() =>
        AssertRefusedAsync(n => new(Encoding.UTF8.GetBytes("X-a=" + new string('a', 8000)), Continue: true), "LoginTextTooLong", "65536");

    [Fact]
    public Task A_1_MiB_chap_challenge_is_refused_at_the_64_KiB_login_text_limit() =>
        AssertRefusedAsync(n => n switch
        {
            0 => ChooseChap(),
            1 => new(Encoding.UTF8.GetBytes("CHAP_A=5\0CHAP_I=1\0CHAP_C=0x" + new string('7', 8000)), Continue: true),
            _ => new(Encoding.UTF8.GetBytes(new string('7', 8000)), Continue: true), // 1 MiB of hex if anyone kept reading
        }, "LoginTextTooLong", "65536", chap: true);

    [Fact]
    public Task A_chap_challenge_over_1024_bytes_in_one_pdu_is_refused() =>
        AssertRefusedAsync(n => n switch
        {
            0 => ChooseChap(),
            1 => new(Text("CHAP_A=5", "CHAP_I=1", "CHAP_C=0x" + new string('7', 8100))),
            _ => null,
        }, "ChapChallengeMalformed", "8102 characters", chap: true);

    [Theory]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("0x100")]
    [InlineData("99999999999999999999999")]
    public Task A_chap_identifier_out_of_range_is_refused(string identifier) =>
        AssertRefusedAsync(n => n switch
        {
            0 => ChooseChap(),
            1 => new(Text("CHAP_A=5", "CHAP_I=" + identifier, "CHAP_C=0x0123456789abcdef0123456789abcdef")),
            _ => null,
        }, "ChapIdentifierMalformed", identifier, chap: true);

    [Theory]
    [InlineData("99")]
    [InlineData("0")]
    [InlineData("MD5")]
    public Task An_unknown_chap_algorithm_is_refused(string algorithm) =>
        AssertRefusedAsync(n => n switch
        {
            0 => ChooseChap(),
            1 => new(Text("CHAP_A=" + algorithm, "CHAP_I=1", "CHAP_C=0x0123456789abcdef0123456789abcdef")),
            _ => null,
        }, "ChapAlgorithmRefused", "CHAP_A=" + algorithm, chap: true);

    [Fact]
    public async Task A_chap_challenge_of_odd_hex_length_is_read_with_an_implied_leading_zero()
    {
        // RFC 7143 6.1 gives hex-constants 4 bits a digit; Chap.TryParseBinary documents the leading zero it implies.
        string? sentResponse = null;
        await using var fake = new FakeTarget(settings: new FakeTargetSettings
        {
            LoginOverride = (n, keys) => n switch
            {
                0 => ChooseChap(),
                1 => new(Text("CHAP_A=5", "CHAP_I=7", "CHAP_C=0x123456789abcdef0123456789abcdef01")), // 33 digits
                2 => Record(keys["CHAP_R"], r => sentResponse = r, new(Text(), Transit: true, CurrentStage: Security, NextStage: Operational)),
                _ => null,
            },
        });
        await using var session = await fake.ConnectAsync(FakeTarget.Options(o => o.Chap = Credential));

        byte[] challenge = Convert.FromHexString("0123456789abcdef0123456789abcdef01");
        byte[] expected = MD5.HashData([7, .. Encoding.UTF8.GetBytes("initiator-secret"), .. challenge]);
        Assert.Equal("0x" + Convert.ToHexString(expected).ToLowerInvariant(), sentResponse);
        Assert.True(session.IsConnected);
    }

    private static FakeLoginReply ChooseChap() => new(Text("AuthMethod=CHAP"), CurrentStage: Security);

    private static FakeLoginReply Record(string? value, Action<string?> store, FakeLoginReply reply)
    {
        store(value);
        return reply;
    }

    private static async Task AssertRefusedAsync(Func<int, FakeLoginReply?> script, string errorId, string messageNames, bool chap = false)
    {
        await using var fake = new FakeTarget(settings: new FakeTargetSettings { LoginOverride = (n, _) => script(n) });
        var error = await Assert.ThrowsAnyAsync<IscsiException>(() => fake.ConnectAsync(FakeTarget.Options(o => { if (chap) o.Chap = Credential; })));
        Assert.True(error is IscsiProtocolException or IscsiAuthenticationException, error.ToString());
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(messageNames, error.Message);
        Assert.DoesNotContain("initiator-secret", error.Message);
        await fake.Connection.Closed.WaitAsync(FakeTarget.Patience);
    }
}
