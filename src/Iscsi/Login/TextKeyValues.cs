using System.Text;

namespace Iscsi.Login;

/// <summary>
/// The "key=value\0" text carried by Login and Text PDUs (RFC 7143 6.1). Pairs keep their order and
/// duplicates are kept (not merged) so that a caller can detect them: the RFC forbids sending a key twice
/// in one negotiation, and the login state machine treats that as a protocol error.
/// </summary>
/// <remarks>
/// Logical text layout (one logical-text-data-segment, possibly spread over several PDUs by the C bit):
/// <code>
///   key-name '=' value 0x00  key-name '=' value 0x00  ...
/// </code>
/// key-name: 1..63 characters from [A-Za-z0-9.-+@_], starting with a capital letter ("X-" vendor keys are
/// covered by that; '#' is accepted too for the IANA "X#" form). value: UTF-8, anything but NUL.
/// </remarks>
public sealed class TextKeyValues
{
    /// <summary>RFC 7143 6.1: a key name must not exceed 63 characters.</summary>
    public const int MaxKeyLength = 63;

    /// <summary>RFC 7143 6.1: the largest text value (in bytes) unless a key says otherwise.</summary>
    public const int MaxValueLength = 8192;

    /// <summary>Binary values ("0x..." / "0b...", e.g. CHAP_C, CHAP_R) may encode up to 8192 bytes, which as
    /// hex is 2 characters a byte plus the "0x" prefix.</summary>
    public const int MaxBinaryValueLength = MaxValueLength * 2 + 2;

    private const byte Nul = 0;
    private const byte EqualsSign = (byte)'=';

    // Throws on invalid UTF-8 instead of silently substituting U+FFFD, so malformed wire text is reported.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<KeyValuePair<string, string>> _pairs = new();

    /// <summary>The pairs, in the order they were parsed or added, duplicates included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>Number of pairs (duplicates counted).</summary>
    public int Count => _pairs.Count;

    /// <summary>The value of the first pair named <paramref name="key"/> (case-sensitive, as the RFC says), or null.</summary>
    public string? this[string key]
    {
        get
        {
            foreach (var pair in _pairs)
            {
                if (string.Equals(pair.Key, key, StringComparison.Ordinal))
                    return pair.Value;
            }
            return null;
        }
    }

    /// <summary>The first key that occurs more than once, or null when every key is unique.</summary>
    public string? FirstDuplicateKey
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in _pairs)
            {
                if (!seen.Add(pair.Key))
                    return pair.Key;
            }
            return null;
        }
    }

    /// <summary>Appends a pair. Throws <see cref="IscsiArgumentException"/> (ErrorId "TextKeyInvalid") when the key
    /// or value could not be sent as is.</summary>
    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (DescribeKeyProblem(key) is { } keyProblem)
            throw new IscsiArgumentException("TextKeyInvalid", $"Cannot send text key '{TextSafety.Printable(key, MaxQuoted)}': {keyProblem}.");
        if (value.Contains('\0'))
            throw new IscsiArgumentException("TextKeyInvalid", $"The value of text key '{key}' contains a NUL character.");
        int valueBytes = Encoding.UTF8.GetByteCount(value);
        if (valueBytes > MaxValueLengthFor(value))
            throw new IscsiArgumentException("TextKeyInvalid",
                $"The value of text key '{key}' is {valueBytes} bytes long; at most {MaxValueLengthFor(value)} are allowed.");
        _pairs.Add(new KeyValuePair<string, string>(key, value));
    }

    /// <summary>Parses a logical text data segment. A missing NUL after the last pair is tolerated, and so are empty
    /// entries (runs of NULs, e.g. padding). Anything else malformed throws <see cref="IscsiProtocolException"/>
    /// with ErrorId "TextKeyMalformed".</summary>
    public static TextKeyValues Parse(ReadOnlySpan<byte> data)
    {
        var result = new TextKeyValues();
        while (!data.IsEmpty)
        {
            int end = data.IndexOf(Nul);
            ReadOnlySpan<byte> entry = end < 0 ? data : data[..end];
            data = end < 0 ? ReadOnlySpan<byte>.Empty : data[(end + 1)..];
            if (entry.IsEmpty)
                continue;
            result._pairs.Add(ParsePair(entry));
        }
        return result;
    }

    /// <summary>Bytes <see cref="EncodeTo"/> writes.</summary>
    public int EncodedLength
    {
        get
        {
            int length = 0;
            foreach (var pair in _pairs)
                length += Encoding.UTF8.GetByteCount(pair.Key) + 1 + Encoding.UTF8.GetByteCount(pair.Value) + 1;
            return length;
        }
    }

    /// <summary>Encodes every pair as "key=value\0".</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        EncodeTo(bytes);
        return bytes;
    }

    /// <summary>Encodes every pair as "key=value\0" into <paramref name="dest"/>, which must hold <see cref="EncodedLength"/> bytes.</summary>
    public void EncodeTo(Span<byte> dest)
    {
        int needed = EncodedLength;
        if (dest.Length < needed)
            throw new IscsiArgumentException("BufferTooSmall",
                $"The destination holds {dest.Length} bytes but the text keys need {needed}.");
        int offset = 0;
        foreach (var pair in _pairs)
        {
            offset += Encoding.UTF8.GetBytes(pair.Key, dest[offset..]);
            dest[offset++] = EqualsSign;
            offset += Encoding.UTF8.GetBytes(pair.Value, dest[offset..]);
            dest[offset++] = Nul;
        }
    }

    /// <summary>Keys only: values may be CHAP responses, which are not secret but are noise in a log.</summary>
    public override string ToString() => string.Join(", ", _pairs.Select(p => p.Key));

    private static KeyValuePair<string, string> ParsePair(ReadOnlySpan<byte> entry)
    {
        int equals = entry.IndexOf(EqualsSign);
        if (equals < 0)
            throw Malformed($"the text '{TextSafety.PrintableBytes(entry, MaxQuoted)}' has no '=' between key and value");

        string key = DecodeUtf8(entry[..equals], "key");
        if (DescribeKeyProblem(key) is { } keyProblem)
            throw Malformed($"key '{TextSafety.Printable(key, MaxQuoted)}': {keyProblem}");

        ReadOnlySpan<byte> valueBytes = entry[(equals + 1)..];
        string value = DecodeUtf8(valueBytes, $"value of key '{key}'");
        if (valueBytes.Length > MaxValueLengthFor(value))
            throw Malformed($"the value of key '{key}' is {valueBytes.Length} bytes long; at most {MaxValueLengthFor(value)} are allowed");
        return new KeyValuePair<string, string>(key, value);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new IscsiProtocolException($"Malformed login/text key data: the {what} is not valid UTF-8.", "TextKeyMalformed", e);
        }
    }

    /// <summary>Null when <paramref name="key"/> is a well-formed key name, else why not.</summary>
    private static string? DescribeKeyProblem(string key)
    {
        if (key.Length == 0)
            return "the key name is empty";
        if (key.Length > MaxKeyLength)
            return $"the key name is {key.Length} characters long; at most {MaxKeyLength} are allowed";
        if (key[0] is < 'A' or > 'Z')
            return $"a key name must start with a capital letter, not '{TextSafety.Printable(key[..1])}'";
        foreach (char c in key)
        {
            if (!IsKeyCharacter(c))
                return $"the character '{TextSafety.Printable(c.ToString())}' (U+{(int)c:X4}) is not allowed in a key name";
        }
        return null;
    }

    private static bool IsKeyCharacter(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '+' or '@' or '_' or '#';

    private static int MaxValueLengthFor(string value) =>
        value.Length > 2 && value[0] == '0' && value[1] is 'x' or 'X' or 'b' or 'B' ? MaxBinaryValueLength : MaxValueLength;

    private static IscsiProtocolException Malformed(string detail) =>
        new($"Malformed login/text key data: {detail}.", "TextKeyMalformed");

    // Text quoted in a message: enough to recognise it, not the 8 KiB a value may have.
    private const int MaxQuoted = 64;
}
