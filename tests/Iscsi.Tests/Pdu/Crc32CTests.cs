using System.Text;
using Iscsi.Pdu;
using static Iscsi.Tests.Pdu.PduTestSupport;

namespace Iscsi.Tests.Pdu;

/// <summary>RFC 3720 B.4 lists each example's CRC as the four bytes in the order they are sent;
/// these tests compare our digest, written in wire order, with those bytes.</summary>
public class Crc32CTests
{
    public static TheoryData<string, byte[], string> Rfc3720Examples => new()
    {
        { "32 bytes of zeroes", new byte[32], "aa 36 91 8a" },
        { "32 bytes of ones", Enumerable.Repeat((byte)0xFF, 32).ToArray(), "43 ab a8 62" },
        { "32 incrementing bytes 00..1f", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), "4e 79 dd 46" },
        { "32 decrementing bytes 1f..00", Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), "5c db 3f 11" },
        { "iSCSI READ(10) command PDU", InitiatorPduVectorTests.Read10CommandVector, "56 3a 96 d9" },
    };

    [Theory, MemberData(nameof(Rfc3720Examples))]
    public void Digest_in_wire_order_matches_rfc3720_b4(string example, byte[] data, string wireBytes)
    {
        var digest = new byte[4];
        Crc32C.WriteDigest(digest, Crc32C.Compute(data));
        Assert.True(Hex(wireBytes).SequenceEqual(digest), $"{example}: got {Convert.ToHexString(digest)}");
    }

    [Theory, MemberData(nameof(Rfc3720Examples))]
    public void Received_rfc_digest_verifies(string example, byte[] data, string wireBytes)
    {
        Assert.Equal(Crc32C.Compute(data), Crc32C.ReadDigest(Hex(wireBytes)));
        Assert.True(Crc32C.Matches(data, Hex(wireBytes)), example);
    }

    [Fact]
    public void Wire_order_is_least_significant_byte_first()
    {
        // 32 zero bytes have CRC32C value 0x8A9136AA; the RFC shows it on the wire as aa 36 91 8a.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        var digest = new byte[4];
        Crc32C.WriteDigest(digest, 0x8A9136AA);
        Assert.Equal(Hex("aa 36 91 8a"), digest);
    }

    [Fact]
    public void Catalogue_check_value_for_123456789()
    {
        // The CRC-32C ("Castagnoli", iSCSI) check value from the CRC catalogue.
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Running_state_over_any_split_equals_one_pass()
    {
        byte[] data = InitiatorPduVectorTests.Read10CommandVector;
        for (int split = 0; split <= data.Length; split++)
        {
            uint state = Crc32C.Update(Crc32C.InitialState, data.AsSpan(0, split));
            state = Crc32C.Update(state, data.AsSpan(split));
            Assert.Equal(0xD9963A56u, Crc32C.Finish(state));
        }
    }

    [Fact]
    public void Agrees_with_a_bit_by_bit_reference_for_every_length_up_to_100()
    {
        var random = new Random(7143);
        for (int length = 0; length <= 100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(BitwiseReference(data), Crc32C.Compute(data));
        }
    }

    [Fact]
    public void A_flipped_bit_fails_verification()
    {
        var data = (byte[])InitiatorPduVectorTests.Read10CommandVector.Clone();
        data[20] ^= 0x01;
        Assert.False(Crc32C.Matches(data, Hex("56 3a 96 d9")));
    }

    [Fact]
    public void Short_digest_spans_are_refused()
    {
        Assert.Throws<IscsiArgumentException>(() => Crc32C.WriteDigest(new byte[3], 0));
        Assert.Throws<IscsiArgumentException>(() => Crc32C.ReadDigest(new byte[3]));
    }

    /// <summary>Reflected CRC32C one bit at a time (polynomial 0x1EDC6F41 reversed = 0x82F63B78).</summary>
    private static uint BitwiseReference(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }
}
