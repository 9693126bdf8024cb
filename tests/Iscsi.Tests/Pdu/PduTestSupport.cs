using System.Reflection;

namespace Iscsi.Tests.Pdu;

/// <summary>Writes a BHS into a fresh buffer.</summary>
public delegate void BhsWriter(Span<byte> bhs);

internal static class PduTestSupport
{
    /// <summary>Hex with any spacing or line breaks, so vectors can be laid out 4 bytes a row like the RFC diagrams.</summary>
    public static byte[] Hex(string text) =>
        Convert.FromHexString(string.Concat(text.Where(Uri.IsHexDigit)));

    /// <summary>Runs a WriteTo into a 48-byte buffer pre-filled with 0xCC, so a reserved byte left unwritten shows up.</summary>
    public static byte[] Written(BhsWriter write)
    {
        var buffer = new byte[48];
        Array.Fill(buffer, (byte)0xCC);
        write(buffer);
        return buffer;
    }

    /// <summary>Compares every public property by value, listing them so a failure names the wrong field.</summary>
    public static void SameFields<T>(T expected, T actual) where T : struct
    {
        Assert.Equal(Describe(expected), Describe(actual));
    }

    private static List<string> Describe<T>(T value) where T : struct =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => $"{p.Name}={Format(p.GetValue(value))}")
            .ToList();

    private static string Format(object? value) => value switch
    {
        ReadOnlyMemory<byte> memory => Convert.ToHexString(memory.Span),
        null => "null",
        _ => value.ToString() ?? "",
    };
}
