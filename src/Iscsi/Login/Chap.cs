using System.Security.Cryptography;
using System.Text;

namespace Iscsi.Login;

/// <summary>
/// CHAP as iSCSI uses it (RFC 7143 12.1.3, RFC 1994): the response to a challenge is
/// H(identifier || secret || challenge), where identifier is one byte and the secret is sent through
/// the hash only, never on the wire. Binary values travel as "0x" + hex or "0b" + base64 (RFC 7143 6.1).
/// </summary>
public static class Chap
{
    /// <summary>The shortest challenge we issue. RFC 1994 leaves the length open; 16 bytes is what MD5 CHAP
    /// implementations use and is beyond guessing.</summary>
    public const int MinChallengeLength = 16;

    /// <summary>The longest challenge we accept from a target. The RFC allows larger binary values, but a
    /// kilobyte of challenge is already far more than any digest can use; larger is treated as hostile.</summary>
    public const int MaxChallengeLength = 1024;

    private static readonly ChapAlgorithm[] StrongestFirst = [ChapAlgorithm.Sha3_256, ChapAlgorithm.Sha256, ChapAlgorithm.Sha1, ChapAlgorithm.Md5];

    /// <summary>The algorithms this platform can compute, strongest first (the order we offer them in CHAP_A).</summary>
    public static IReadOnlyList<ChapAlgorithm> SupportedAlgorithms { get; } = Array.AsReadOnly(StrongestFirst.Where(IsSupported).ToArray());

    /// <summary>Whether this platform can compute <paramref name="algorithm"/>. SHA3 needs OpenSSL 1.1.1+ on
    /// Linux or Windows 11 build 25324+; MD5 and SHA-1/SHA-256 are always available.</summary>
    public static bool IsSupported(ChapAlgorithm algorithm) => algorithm switch
    {
        ChapAlgorithm.Md5 or ChapAlgorithm.Sha1 or ChapAlgorithm.Sha256 => true,
        ChapAlgorithm.Sha3_256 => SHA3_256.IsSupported,
        _ => false,
    };

    /// <summary>Digest size in bytes, which is also the length of a valid CHAP_R.</summary>
    public static int DigestLength(ChapAlgorithm algorithm) => algorithm switch
    {
        ChapAlgorithm.Md5 => 16,
        ChapAlgorithm.Sha1 => 20,
        ChapAlgorithm.Sha256 or ChapAlgorithm.Sha3_256 => 32,
        _ => throw UnknownAlgorithm(algorithm),
    };

    /// <summary>The name recorded in <see cref="NegotiatedParameters.ChapAlgorithm"/>: "MD5", "SHA1", "SHA256", "SHA3-256".</summary>
    public static string AlgorithmName(ChapAlgorithm algorithm) => algorithm switch
    {
        ChapAlgorithm.Md5 => "MD5",
        ChapAlgorithm.Sha1 => "SHA1",
        ChapAlgorithm.Sha256 => "SHA256",
        ChapAlgorithm.Sha3_256 => "SHA3-256",
        _ => throw UnknownAlgorithm(algorithm),
    };

    /// <summary>H(identifier || secret || challenge).</summary>
    public static byte[] ComputeResponse(ChapAlgorithm algorithm, byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge)
    {
        if (!IsSupported(algorithm))
            throw new IscsiArgumentException("ChapAlgorithmUnsupported",
                $"CHAP algorithm {(byte)algorithm} ({algorithm}) cannot be computed on this platform.");
        using var hash = IncrementalHash.CreateHash(HashName(algorithm));
        hash.AppendData([identifier]);
        hash.AppendData(secret);
        hash.AppendData(challenge);
        return hash.GetHashAndReset();
    }

    /// <summary>The response for a credential; the secret's UTF-8 copy is wiped after use.</summary>
    internal static byte[] ComputeResponse(ChapAlgorithm algorithm, byte identifier, ChapCredential credential, ReadOnlySpan<byte> challenge)
    {
        byte[] secret = Encoding.UTF8.GetBytes(credential.Secret);
        try
        {
            return ComputeResponse(algorithm, identifier, secret, challenge);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>A random challenge from the system CSPRNG, as long as the digest but never under 16 bytes.</summary>
    public static byte[] CreateChallenge(ChapAlgorithm algorithm) => CreateChallenge(Math.Max(MinChallengeLength, DigestLength(algorithm)));

    /// <summary>A random challenge of <paramref name="length"/> bytes (16..1024).</summary>
    public static byte[] CreateChallenge(int length)
    {
        if (length is < MinChallengeLength or > MaxChallengeLength)
            throw new IscsiArgumentException("ChapChallengeLengthInvalid",
                $"A CHAP challenge of {length} bytes was asked for; it must be {MinChallengeLength} to {MaxChallengeLength} bytes.");
        return RandomNumberGenerator.GetBytes(length);
    }

    /// <summary>"0x" followed by two lower-case hex digits per byte.</summary>
    public static string FormatHex(ReadOnlySpan<byte> value) => "0x" + Convert.ToHexString(value).ToLowerInvariant();

    /// <summary>"0b" followed by base64.</summary>
    public static string FormatBase64(ReadOnlySpan<byte> value) => "0b" + Convert.ToBase64String(value);

    /// <summary>Parses a binary value: "0x"/"0X" + hex digits (an odd count gets an implied leading zero) or
    /// "0b"/"0B" + base64. False when malformed, empty, or longer than <paramref name="maxBytes"/>; the length is
    /// checked before anything is allocated.</summary>
    public static bool TryParseBinary(string? text, int maxBytes, out byte[] value)
    {
        value = [];
        if (text is null || text.Length < 3 || text[0] != '0')
            return false;
        ReadOnlySpan<char> body = text.AsSpan(2);
        switch (text[1])
        {
            case 'x' or 'X':
                int byteCount = (body.Length + 1) / 2;
                if (byteCount > maxBytes)
                    return false;
                foreach (char c in body)
                {
                    if (!char.IsAsciiHexDigit(c))
                        return false;
                }
                value = body.Length % 2 == 0 ? Convert.FromHexString(body) : Convert.FromHexString("0" + body.ToString());
                return true;
            case 'b' or 'B':
                // Base64 carries 3 bytes per 4 characters; reject early if even the unpadded size is too big.
                if ((long)body.Length * 3 / 4 > maxBytes + 2L)
                    return false;
                var buffer = new byte[body.Length * 3 / 4 + 3];
                if (!Convert.TryFromBase64Chars(body, buffer, out int written) || written == 0 || written > maxBytes)
                    return false;
                value = buffer[..written];
                return true;
            default:
                return false;
        }
    }

    private static HashAlgorithmName HashName(ChapAlgorithm algorithm) => algorithm switch
    {
        ChapAlgorithm.Md5 => HashAlgorithmName.MD5,
        ChapAlgorithm.Sha1 => HashAlgorithmName.SHA1,
        ChapAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        ChapAlgorithm.Sha3_256 => HashAlgorithmName.SHA3_256,
        _ => throw UnknownAlgorithm(algorithm),
    };

    private static IscsiArgumentException UnknownAlgorithm(ChapAlgorithm algorithm) =>
        new("ChapAlgorithmUnsupported", $"CHAP algorithm {(byte)algorithm} is not one we know (5 MD5, 6 SHA1, 7 SHA256, 8 SHA3-256).");
}
