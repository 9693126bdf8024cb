using Iscsi.Scsi;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// The SCSI parameter-data decoders (INQUIRY, VPD pages, READ CAPACITY, REPORT LUNS, MODE SENSE, sense data,
/// persistent reservations, supported operation codes) on mutated valid buffers and on noise: a decoded result
/// whose every property can be read, or IscsiProtocolException "ScsiDataMalformed"; never a crash.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class ScsiDataFuzzTests
{
    private sealed record Decoder(string Name, Func<byte[], object?> Decode, byte[] Seed, LengthField[] LengthFields);

    private static readonly Decoder[] Decoders =
    [
        new("INQUIRY", d => StandardInquiryData.Parse(d), Inquiry(), [new(4, 1)]),
        new("VPD 00h", d => SupportedVpdPages.Parse(d), [0x00, 0x00, 0x00, 0x06, 0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2], [new(2, 2)]),
        new("VPD 80h", d => UnitSerialNumber.Parse(d), [0x00, 0x80, 0x00, 0x08, .. "SER12345"u8], [new(2, 2)]),
        new("VPD 83h", d => DeviceIdentification.Parse(d), DeviceIdentificationPage(), [new(2, 2), new(7, 1), new(23, 1)]),
        new("VPD 83h, every designator type", d => DeviceIdentification.Parse(d), EveryDesignatorType(), [new(2, 2), new(7, 1), new(23, 1), new(35, 1)]),
        new("VPD B0h", d => BlockLimits.Parse(d), Page(0xB0, 0x3C), [new(2, 2)]),
        new("VPD B1h", d => BlockDeviceCharacteristics.Parse(d), Page(0xB1, 0x3C), [new(2, 2)]),
        new("VPD B2h", d => LogicalBlockProvisioning.Parse(d), Page(0xB2, 0x04), [new(2, 2)]),
        new("READ CAPACITY(10)", d => ReadCapacity10Data.Parse(d), [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x00], [new(4, 4)]),
        new("READ CAPACITY(16)", d => ReadCapacity16Data.Parse(d), [0, 0, 0, 0, 0, 0, 0x07, 0xFF, 0, 0, 0x10, 0, 0x01, 0x03, 0x80, 0x01, .. new byte[16]], [new(8, 4)]),
        new("REPORT LUNS", d => ReportLunsData.Parse(d), [0, 0, 0, 0x10, 0, 0, 0, 0, .. new byte[8], 0x00, 0x01, 0, 0, 0, 0, 0, 0], [new(0, 4)]),
        new("MODE SENSE(6)", d => ModeParameters.Parse6(d), ModeSense(ten: false), [new(0, 1), new(3, 1), new(12, 1)]),
        new("MODE SENSE(10)", d => ModeParameters.Parse10(d), ModeSense(ten: true), [new(0, 2), new(6, 2), new(16, 1)]),
        new("MODE SENSE(6), error recovery and exceptions pages", d => ModeParameters.Parse6(d), ModeSenseRecoveryAndExceptions(), [new(0, 1), new(5, 1), new(17, 1)]),
        new("fixed sense", d => SenseData.Parse(d), [0xF0, 0, 0x05, 0, 0, 0, 1, 10, 0, 0, 0, 0, 0x24, 0x00, 0, 0x80, 0x00, 0x03], [new(7, 1)]),
        new("descriptor sense", d => SenseData.Parse(d), DescriptorSense(), [new(7, 1), new(9, 1), new(21, 1), new(29, 1)]),
        new("READ KEYS", d => PersistentReserveKeys.Parse(d), [0, 0, 0, 1, 0, 0, 0, 0x10, .. new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, .. new byte[8]], [new(4, 4)]),
        new("READ RESERVATION", d => PersistentReservation.Parse(d), [0, 0, 0, 1, 0, 0, 0, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0x05, 0, 0], [new(4, 4)]),
        new("SUPPORTED OPCODES", d => SupportedOperationCodes.Parse(d), SupportedOpcodes(), [new(0, 4), new(10, 2), new(22, 2)]),
        new("ONE COMMAND", d => OneCommandSupport.Parse(d), [0x00, 0x83, 0x00, 0x0A, 0x28, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0x07, 0x00, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0x1E, 0, 0, 0, 0x3C], [new(2, 2), new(14, 2)]),
    ];

    [Fact]
    public void Every_decoder_reads_its_seed()
    {
        // The control: the seeds are valid, so the mutants start from something the decoders accept.
        foreach (var decoder in Decoders)
            ObjectWalker.Touch(decoder.Decode(decoder.Seed) ?? throw new InvalidOperationException($"{decoder.Name}: no result for the seed."));
    }

    [Fact]
    public void Mutated_and_random_parameter_data_decodes_or_is_refused_as_malformed()
    {
        FuzzRunner.Run("ScsiDecoders", random =>
        {
            int which = random.Next(Decoders.Length);
            var decoder = Decoders[which];
            byte[] input;
            if (random.Next(5) == 0)
            {
                input = new byte[random.Next(300)];
                random.NextBytes(input);
            }
            else input = new Mutator(random).Mutate(new FuzzInput(decoder.Seed, decoder.LengthFields));
            return [(byte)which, .. input];
        }, (input, unused) =>
        {
            var decoder = Decoders[input[0]];
            try
            {
                ObjectWalker.Touch(decoder.Decode(input[1..]));
            }
            catch (IscsiProtocolException e)
            {
                Assert.Equal("ScsiDataMalformed", e.ErrorId);
            }
        }, _ => false);
    }

    private static byte[] Inquiry()
    {
        var d = new byte[96];
        d[0] = 0x00; d[2] = 0x06; d[3] = 0x02; d[4] = 91; d[7] = 0x02;
        "IET     "u8.CopyTo(d.AsSpan(8));
        "VIRTUAL-DISK    "u8.CopyTo(d.AsSpan(16));
        "0001"u8.CopyTo(d.AsSpan(32));
        d[58] = 0x00; d[59] = 0x40; // a version descriptor
        return d;
    }

    private static byte[] Page(byte code, int length)
    {
        var d = new byte[4 + length];
        d[1] = code;
        d[3] = (byte)length;
        for (int i = 4; i < d.Length; i++) d[i] = (byte)(i * 7);
        return d;
    }

    private static byte[] DeviceIdentificationPage() =>
    [
        0x00, 0x83, 0x00, 0x28,
        0x01, 0x03, 0x00, 0x10, 0x60, 0x01, 0x40, 0x5f, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // NAA
        0x53, 0xA8, 0x00, 0x10, .. "iqn.2025-01.t:d\0"u8, // SCSI name string
    ];

    /// <summary>A T10 vendor id, an EUI-64, a relative target port, a target port group, a logical unit group, an MD5
    /// and a UUID designator: the kinds <see cref="Designator.Display"/> decodes each its own way.</summary>
    private static byte[] EveryDesignatorType()
    {
        byte[] body =
        [
            0x02, 0x01, 0x00, 0x0C, .. "IET     disk"u8,                                   // T10 vendor id (ASCII)
            0x01, 0x02, 0x00, 0x08, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,   // EUI-64
            0x61, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,                           // relative target port 1
            0x61, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,                           // target port group 2
            0x01, 0x06, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,                           // logical unit group 3
            0x01, 0x07, 0x00, 0x10, .. Enumerable.Range(0, 16).Select(i => (byte)i),  // MD5 logical unit identifier
            0x01, 0x0A, 0x00, 0x12, 0x10, 0x00, .. Enumerable.Range(0xA0, 16).Select(i => (byte)i), // UUID
        ];
        return [0x00, 0x83, (byte)(body.Length >> 8), (byte)body.Length, .. body];
    }

    /// <summary>Read-write error recovery (01h) and informational exceptions control (1Ch) pages, which no other seed
    /// carries and bit flips of the others' page codes rarely reach.</summary>
    private static byte[] ModeSenseRecoveryAndExceptions()
    {
        byte[] recovery = [0x01, 0x0A, 0xC0, 0x08, 0, 0, 0, 0, 0x08, 0, 0xFF, 0xFF];
        byte[] exceptions = [0x1C, 0x0A, 0x08, 0x04, 0, 0, 0x0B, 0xB8, 0, 0, 0, 0x01];
        byte[] body = [.. recovery, .. exceptions];
        return [(byte)(3 + body.Length), 0, 0, 0, .. body];
    }

    private static byte[] ModeSense(bool ten)
    {
        byte[] descriptor = [0, 0, 0, 0, 0, 0, 0x02, 0x00];
        byte[] caching = [0x08, 0x12, 0x04, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x14, 0, 0, 0, 0, 0, 0];
        byte[] control = [0x0A, 0x0A, 0x02, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0];
        byte[] body = [.. descriptor, .. caching, .. control];
        return ten
            ? [(byte)((6 + body.Length) >> 8), (byte)(6 + body.Length), 0, 0x10, 0, 0, 0, 8, .. body]
            : [(byte)(3 + body.Length), 0, 0x10, 8, .. body];
    }

    private static byte[] DescriptorSense() =>
    [
        0x72, 0x05, 0x24, 0x00, 0, 0, 0, 28,
        0x00, 0x0A, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, // information
        0x02, 0x06, 0, 0, 0x80, 0x00, 0x03, 0, // sense key specific
        0x03, 0x02, 0, 0x07, // FRU
        0x05, 0x02, 0, 0x20, // block commands
    ];

    private static byte[] SupportedOpcodes() =>
    [
        0, 0, 0, 28,
        0x28, 0, 0, 0, 0, 0x00, 0, 10,
        0x9E, 0, 0, 0x10, 0, 0x03, 0, 16, 0, 0x0A, 0, 0, 0, 0, 0, 0x1E, 0, 0, 0, 0x3C,
    ];
}
