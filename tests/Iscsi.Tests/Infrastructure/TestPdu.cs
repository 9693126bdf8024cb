using System.Buffers.Binary;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Raw PDU bytes for the <see cref="FaultProxy"/> self-tests: correct framing (BHS, AHS, header digest,
/// padded data, data digest); the digest bytes are placeholders, since the proxy frames but never checks them.</summary>
internal static class TestPdu
{
    public const byte LoginRequest = 0x03, LoginResponse = 0x23, ScsiCommand = 0x01, DataOut = 0x05, DataIn = 0x25, ScsiResponse = 0x21;

    /// <summary>One PDU: <paramref name="dataLength"/> data bytes (i * 7 + seed), <paramref name="ahsWords"/> words of AHS.</summary>
    public static byte[] Build(byte opcode, int dataLength, bool digests = false, int ahsWords = 0, byte flags = 0x80, int seed = 0)
    {
        int ahs = ahsWords * 4, pad = (4 - (dataLength & 3)) & 3;
        int length = 48 + ahs + (digests ? 4 : 0) + dataLength + pad + (digests && dataLength > 0 ? 4 : 0);
        var pdu = new byte[length];
        pdu[0] = opcode;
        pdu[1] = flags;
        pdu[4] = (byte)ahsWords;
        pdu[5] = (byte)(dataLength >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(6), (ushort)dataLength);
        pdu.AsSpan(48, ahs).Fill(0xA5);
        int data = 48 + ahs + (digests ? 4 : 0);
        if (digests) pdu.AsSpan(48 + ahs, 4).Fill(0xDD);
        for (int i = 0; i < dataLength; i++) pdu[data + i] = (byte)(i * 7 + seed);
        if (digests && dataLength > 0) pdu.AsSpan(length - 4, 4).Fill(0xEE);
        return pdu;
    }

    /// <summary>Where the data segment of a PDU built by <see cref="Build"/> starts.</summary>
    public static int DataOffset(bool digests, int ahsWords = 0) => 48 + ahsWords * 4 + (digests ? 4 : 0);

    /// <summary>A Login Response; <paramref name="final"/>: T=1, CSG=1, NSG=3 (the one that ends the login), status 0.</summary>
    public static byte[] LoginResponseOf(bool final, int dataLength = 20)
        => Build(LoginResponse, dataLength, digests: false, flags: final ? (byte)0x87 : (byte)0x04);

    public static byte[] Concat(params byte[][] pdus) => pdus.SelectMany(p => p).ToArray();
}
