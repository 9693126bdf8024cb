using System.Text;

namespace Iscsi.Tests.Fuzz;

/// <summary>Mutations aimed at "key=value\0" text (RFC 7143 6.1) that byte flips rarely produce: huge keys and
/// values, no '=', no NUL, invalid UTF-8, duplicated pairs, and odd binary values (hex of odd length, base64,
/// kilobytes of challenge). Then the byte-level <see cref="Mutator"/> may go over the result too.</summary>
internal sealed class TextMutator
{
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC0, 0x80],       // overlong NUL
        [0xFF],             // never valid
        [0xED, 0xA0, 0x80], // a UTF-16 surrogate
        [0xE2, 0x82],       // cut short
        [0xF4, 0x90, 0x80, 0x80], // past U+10FFFF
    ];

    private static readonly string[] OddValues =
    [
        "", "=", "0x", "0x1", "0xABC", "0X" + new string('f', 2049), "0b", "0b====", "0bQUJD", "0b" + new string('A', 3000),
        "0x" + new string('0', 16), "18446744073709551616", "-1", "99999999999999999999999", "Reject", "NotUnderstood", "Irrelevant",
        "Yes,No", "CRC32C,None,CRC32C", "None,", ",", "\u00e9\u00e9", "0x" + new string('a', 20), "256", "0x100",
    ];

    private static readonly string[] Keys =
    [
        "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R", "AuthMethod", "HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength",
        "MaxBurstLength", "FirstBurstLength", "ImmediateData", "InitialR2T", "TargetPortalGroupTag", "TargetAddress", "TargetName",
        "TargetAlias", "ErrorRecoveryLevel", "MaxConnections", "DefaultTime2Wait", "X-vendor.key", "IFMarker", "OFMarkInt", "SendTargets",
    ];

    private readonly Random _random;

    public TextMutator(Random random) => _random = random;

    public byte[] Mutate(byte[] text)
    {
        var pairs = Encoding.UTF8.GetString(text).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        var raw = new List<byte>();
        switch (_random.Next(9))
        {
            case 0: // a key with an odd value
                pairs.Insert(_random.Next(pairs.Count + 1), $"{Pick(Keys)}={Pick(OddValues)}");
                break;
            case 1: // a huge value: 64 KiB, or just over a limit
                int length = _random.Next(3) switch { 0 => 64 * 1024, 1 => 8193, _ => 16387 };
                string prefix = _random.Next(2) == 0 ? "0x" : "";
                pairs.Insert(_random.Next(pairs.Count + 1), $"{Pick(Keys)}={prefix}{new string('7', length - prefix.Length)}");
                break;
            case 2: // a huge or malformed key
                string key = _random.Next(3) switch { 0 => new string('K', 64 + _random.Next(200)), 1 => "lowercase", _ => "Key with space" };
                pairs.Insert(_random.Next(pairs.Count + 1), $"{key}=1");
                break;
            case 3 when pairs.Count > 0: // no '='
                int at = _random.Next(pairs.Count);
                pairs[at] = pairs[at].Replace("=", "", StringComparison.Ordinal);
                break;
            case 4 when pairs.Count > 0: // a duplicate
                pairs.Insert(_random.Next(pairs.Count + 1), pairs[_random.Next(pairs.Count)]);
                break;
            case 5: // invalid UTF-8 inside a value
                raw.AddRange(Encoding.UTF8.GetBytes($"{Pick(Keys)}=a"));
                raw.AddRange(InvalidUtf8[_random.Next(InvalidUtf8.Length)]);
                raw.Add(0);
                break;
            case 6: // CHAP challenge of another form or size
                // Past the 1024-byte limit, and past the 64 KiB login text limit; the 1 MiB case has its own test.
                int bytes = _random.Next(4) switch { 0 => 1024, 1 => 1025, 2 => 1 + _random.Next(40), _ => 40000 };
                var challenge = new byte[bytes];
                _random.NextBytes(challenge);
                string form = _random.Next(3) switch
                {
                    0 => "0x" + Convert.ToHexString(challenge),
                    1 => "0x" + Convert.ToHexString(challenge)[1..], // odd number of digits
                    _ => "0b" + Convert.ToBase64String(challenge),
                };
                pairs.Insert(_random.Next(pairs.Count + 1), "CHAP_C=" + form);
                break;
            case 7: // a CHAP identifier or algorithm out of range
                pairs.Insert(_random.Next(pairs.Count + 1), _random.Next(2) == 0
                    ? $"CHAP_I={Pick(["256", "-1", "0x1FF", "65536", "4294967296", "abc", ""])}"
                    : $"CHAP_A={Pick(["0", "4", "9", "255", "5,7", "MD5", "99999999999999999999999"])}");
                break;
            default: // the last NUL goes missing
                string joined = string.Join('\0', pairs);
                return Encoding.UTF8.GetBytes(joined);
        }
        var result = new List<byte>(Encoding.UTF8.GetBytes(string.Join('\0', pairs) + (pairs.Count > 0 ? "\0" : "")));
        result.AddRange(raw);
        return result.ToArray();
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}
