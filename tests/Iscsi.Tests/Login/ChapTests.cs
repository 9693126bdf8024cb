using System.Text;
using Iscsi.Login;

namespace Iscsi.Tests.Login;

public class ChapTests
{
    private const byte Identifier = 0x2A;
    private const string Secret = "secretsecret";
    private static readonly byte[] Challenge = Convert.FromHexString("0123456789abcdeffedcba9876543210");

    // Known answers for H(0x2A || "secretsecret" || 0123456789abcdeffedcba9876543210), produced on this machine with:
    //   { printf '\x2a'; printf 'secretsecret'; echo 0123456789abcdeffedcba9876543210 | xxd -r -p; } > chapin.bin
    //   openssl dgst -md5 / -sha1 / -sha256 / -sha3-256 chapin.bin        (OpenSSL 3.0.19; SHA3 also checked with python3 hashlib)
    [Theory]
    [InlineData(ChapAlgorithm.Md5, "7633da181b8027cd87b942dca98c6a69")]
    [InlineData(ChapAlgorithm.Sha1, "5dbc779f409773e9f53115376d9e6fef8684df6c")]
    [InlineData(ChapAlgorithm.Sha256, "ca9c70933028adf6a2e0549ced3d5df06e54b538a1bf38553db109f5504ab134")]
    [InlineData(ChapAlgorithm.Sha3_256, "4fa772956423c2ab351362ea4bc28c834689626dc08f7a76f1726e052008b9fd")]
    public void Response_matches_openssl(ChapAlgorithm algorithm, string expectedHex)
    {
        if (!Chap.IsSupported(algorithm))
            return; // SHA3 needs OpenSSL 1.1.1+; the KAT cannot run where the platform lacks it.
        byte[] response = Chap.ComputeResponse(algorithm, Identifier, Encoding.UTF8.GetBytes(Secret), Challenge);
        Assert.Equal(expectedHex, Convert.ToHexString(response).ToLowerInvariant());
        Assert.Equal(Chap.DigestLength(algorithm), response.Length);
    }

    // Secret "pässwörd-12ab" (UTF-8, so ä = c3 a4), identifier 0, challenge 00ff10ee20dd30cc40bb50aa60997088:
    //   { printf '\x00'; printf 'pässwörd-12ab'; echo 00ff10ee20dd30cc40bb50aa60997088 | xxd -r -p; } | openssl dgst -md5
    [Fact]
    public void Credential_secret_is_hashed_as_utf8()
    {
        var credential = new ChapCredential("user", "pässwörd-12ab");
        byte[] response = Chap.ComputeResponse(ChapAlgorithm.Md5, 0, credential, Convert.FromHexString("00ff10ee20dd30cc40bb50aa60997088"));
        Assert.Equal("05bcd528283ef1579ac4269f4209d8a8", Convert.ToHexString(response).ToLowerInvariant());
    }

    [Fact]
    public void Supported_algorithms_are_strongest_first_and_include_md5()
    {
        var supported = Chap.SupportedAlgorithms;
        Assert.Contains(ChapAlgorithm.Md5, supported);
        Assert.Equal(supported.OrderByDescending(a => (byte)a), supported);
        Assert.Equal(System.Security.Cryptography.SHA3_256.IsSupported, supported.Contains(ChapAlgorithm.Sha3_256));
    }

    [Fact]
    public void Algorithm_names()
    {
        Assert.Equal("MD5", Chap.AlgorithmName(ChapAlgorithm.Md5));
        Assert.Equal("SHA1", Chap.AlgorithmName(ChapAlgorithm.Sha1));
        Assert.Equal("SHA256", Chap.AlgorithmName(ChapAlgorithm.Sha256));
        Assert.Equal("SHA3-256", Chap.AlgorithmName(ChapAlgorithm.Sha3_256));
        Assert.Throws<IscsiArgumentException>(() => Chap.AlgorithmName((ChapAlgorithm)9));
    }

    [Fact]
    public void Unknown_algorithm_cannot_be_computed()
    {
        var e = Assert.Throws<IscsiArgumentException>(() => Chap.ComputeResponse((ChapAlgorithm)4, 1, [1], [2]));
        Assert.Equal("ChapAlgorithmUnsupported", e.ErrorId);
    }

    [Fact]
    public void Hex_and_base64_forms()
    {
        Assert.Equal("0x0123456789abcdeffedcba9876543210", Chap.FormatHex(Challenge));
        // base64 of the same 16 bytes, from: echo 0123456789abcdeffedcba9876543210 | xxd -r -p | base64
        Assert.Equal("0bASNFZ4mrze/+3LqYdlQyEA==", Chap.FormatBase64(Challenge));

        Assert.True(Chap.TryParseBinary("0x0123456789ABCDEFfedcba9876543210", 1024, out var fromHex));
        Assert.Equal(Challenge, fromHex);
        Assert.True(Chap.TryParseBinary("0bASNFZ4mrze/+3LqYdlQyEA==", 1024, out var fromBase64));
        Assert.Equal(Challenge, fromBase64);
        Assert.True(Chap.TryParseBinary("0X123", 1024, out var odd));
        Assert.Equal(new byte[] { 0x01, 0x23 }, odd);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("1234")]
    [InlineData("0xZZ")]
    [InlineData("0x12 34")]
    [InlineData("0b!!!!")]
    [InlineData("0q1234")]
    public void Malformed_binary_values_are_refused(string? text)
    {
        Assert.False(Chap.TryParseBinary(text, 1024, out _));
    }

    [Fact]
    public void Binary_value_longer_than_the_limit_is_refused()
    {
        Assert.True(Chap.TryParseBinary("0x" + new string('a', 32), 16, out _));
        Assert.False(Chap.TryParseBinary("0x" + new string('a', 34), 16, out _));
        Assert.False(Chap.TryParseBinary(Chap.FormatBase64(new byte[17]), 16, out _));
    }

    [Fact]
    public void Challenges_are_random_and_at_least_16_bytes()
    {
        byte[] a = Chap.CreateChallenge(ChapAlgorithm.Md5), b = Chap.CreateChallenge(ChapAlgorithm.Md5);
        Assert.Equal(16, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(32, Chap.CreateChallenge(ChapAlgorithm.Sha256).Length);
        Assert.Equal("ChapChallengeLengthInvalid", Assert.Throws<IscsiArgumentException>(() => Chap.CreateChallenge(8)).ErrorId);
    }
}
