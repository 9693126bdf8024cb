using Iscsi.Pdu;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// Every <c>TryRead</c> of the PDU structs in <c>src/Iscsi/Pdu</c>, the BHS accessors, <see cref="PduLayout"/>,
/// <see cref="AhsReader"/> and <see cref="ScsiResponseData"/> on random and mutated buffers: TryRead never throws
/// (false for a short buffer or another opcode), the others only with their documented exceptions.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class PduHeaderFuzzTests
{
    private delegate bool Reader(ReadOnlySpan<byte> bhs, out object? pdu);

    private static readonly (Opcode Opcode, Reader Read)[] Readers =
    [
        (Opcode.NopOut, (ReadOnlySpan<byte> b, out object? p) => Box(NopOut.TryRead(b, out var x), x, out p)),
        (Opcode.ScsiCommand, (ReadOnlySpan<byte> b, out object? p) => Box(ScsiCommandRequest.TryRead(b, out var x), x, out p)),
        (Opcode.TaskManagementRequest, (ReadOnlySpan<byte> b, out object? p) => Box(TaskManagementRequest.TryRead(b, out var x), x, out p)),
        (Opcode.LoginRequest, (ReadOnlySpan<byte> b, out object? p) => Box(LoginRequest.TryRead(b, out var x), x, out p)),
        (Opcode.TextRequest, (ReadOnlySpan<byte> b, out object? p) => Box(TextRequest.TryRead(b, out var x), x, out p)),
        (Opcode.DataOut, (ReadOnlySpan<byte> b, out object? p) => Box(DataOut.TryRead(b, out var x), x, out p)),
        (Opcode.LogoutRequest, (ReadOnlySpan<byte> b, out object? p) => Box(LogoutRequest.TryRead(b, out var x), x, out p)),
        (Opcode.SnackRequest, (ReadOnlySpan<byte> b, out object? p) => Box(SnackRequest.TryRead(b, out var x), x, out p)),
        (Opcode.NopIn, (ReadOnlySpan<byte> b, out object? p) => Box(NopIn.TryRead(b, out var x), x, out p)),
        (Opcode.ScsiResponse, (ReadOnlySpan<byte> b, out object? p) => Box(ScsiResponse.TryRead(b, out var x), x, out p)),
        (Opcode.TaskManagementResponse, (ReadOnlySpan<byte> b, out object? p) => Box(TaskManagementResponse.TryRead(b, out var x), x, out p)),
        (Opcode.LoginResponse, (ReadOnlySpan<byte> b, out object? p) => Box(LoginResponse.TryRead(b, out var x), x, out p)),
        (Opcode.TextResponse, (ReadOnlySpan<byte> b, out object? p) => Box(TextResponse.TryRead(b, out var x), x, out p)),
        (Opcode.DataIn, (ReadOnlySpan<byte> b, out object? p) => Box(DataIn.TryRead(b, out var x), x, out p)),
        (Opcode.LogoutResponse, (ReadOnlySpan<byte> b, out object? p) => Box(LogoutResponse.TryRead(b, out var x), x, out p)),
        (Opcode.ReadyToTransfer, (ReadOnlySpan<byte> b, out object? p) => Box(ReadyToTransfer.TryRead(b, out var x), x, out p)),
        (Opcode.AsyncMessage, (ReadOnlySpan<byte> b, out object? p) => Box(AsyncMessage.TryRead(b, out var x), x, out p)),
        (Opcode.Reject, (ReadOnlySpan<byte> b, out object? p) => Box(Reject.TryRead(b, out var x), x, out p)),
    ];

    [Fact]
    public void Every_opcode_has_a_reader_here()
    {
        // A new PDU struct must join the fuzz: the enum lists every opcode the codec knows.
        Assert.Equal(Enum.GetValues<Opcode>().Order(), Readers.Select(r => r.Opcode).Order());
    }

    [Fact]
    public void TryRead_on_random_and_mutated_headers_returns_a_result_or_false_and_never_throws()
    {
        FuzzRunner.Run("PduTryRead", GenerateHeader, (header, random) =>
        {
            foreach (var (opcode, read) in Readers)
            {
                bool matches = header.Length >= Bhs.Length && (header[0] & Bhs.OpcodeMask) == (byte)opcode;
                Assert.Equal(matches, read(header, out object? pdu));
                if (matches) ObjectWalker.Touch(pdu);
            }
            if (header.Length < Bhs.Length)
            {
                Assert.Equal("BhsTooShort", Assert.Throws<IscsiArgumentException>(() => Bhs.GetOpcode(header)).ErrorId);
                return;
            }
            _ = (Bhs.GetOpcode(header), Bhs.IsFinal(header), Bhs.IsImmediate(header), Bhs.GetInitiatorTaskTag(header), Bhs.GetLun(header));
            int limit = random.Next(2) == 0 ? 8192 : BigEndian24.MaxValue;
            int after;
            try
            {
                after = PduLayout.BytesAfterBhs(header, random.Next(2) == 0, random.Next(2) == 0, limit);
            }
            catch (IscsiProtocolException e) when (e.ErrorId == "DataSegmentTooLong")
            {
                Assert.True(Bhs.GetDataSegmentLength(header) > limit);
                return;
            }
            Assert.InRange(after, Bhs.GetDataSegmentLength(header), Bhs.MaxTotalAhsLength + 8 + BigEndian24.MaxValue + 3);
        }, _ => false);
    }

    [Fact]
    public void AhsReader_on_mutated_ahs_areas_validates_or_names_the_problem()
    {
        FuzzRunner.Run(nameof(AhsReader), random =>
        {
            var (_, ahs, _) = TargetPduCorpus.Create(random);
            var fields = new List<LengthField>();
            for (int at = 0; at + 2 <= ahs.Length; at += 4) fields.Add(new LengthField(at, 2));
            return new Mutator(random).Mutate(new FuzzInput(ahs.Length > 0 ? ahs : [0, 5, 2, 0, 0, 0, 0, 0], fields));
        }, (ahs, _) =>
        {
            bool valid = AhsReader.TryValidate(ahs, out string? error);
            Assert.Equal(valid, error is null);
            if (!valid)
                Assert.Equal("AhsMalformed", Assert.Throws<IscsiProtocolException>(() => AhsReader.Validate(ahs)).ErrorId);
        }, _ => false);
    }

    [Fact]
    public void ScsiResponseData_on_mutated_segments_splits_inside_the_segment_or_refuses()
    {
        FuzzRunner.Run(nameof(ScsiResponseData), random =>
            new Mutator(random).Mutate(new FuzzInput(TargetPduCorpus.SenseSegment(random), [new LengthField(0, 2)])),
            (segment, unused) =>
            {
                if (ScsiResponseData.TryParse(segment, out var sense, out var response))
                    Assert.Equal(segment.Length, segment.Length == 0 ? 0 : 2 + sense.Length + response.Length);
                else
                    Assert.Equal("SenseLengthInvalid", Assert.Throws<IscsiProtocolException>(() => ScsiResponseData.Parse(segment, out _, out _)).ErrorId);
            }, _ => false);
    }

    private static byte[] GenerateHeader(Random random)
    {
        switch (random.Next(4))
        {
            case 0: // noise, with a known opcode half the time
                var noise = new byte[Bhs.Length];
                random.NextBytes(noise);
                if (random.Next(2) == 0) noise[0] = (byte)((noise[0] & ~Bhs.OpcodeMask) | (byte)Readers[random.Next(Readers.Length)].Opcode);
                return noise;
            case 1: // a short buffer
                var shortBuffer = new byte[random.Next(Bhs.Length)];
                random.NextBytes(shortBuffer);
                return shortBuffer;
            default: // a valid target BHS, mutated but kept at 48 bytes most of the time
                var bhs = TargetPduCorpus.Create(random).Bhs;
                var mutated = new Mutator(random).Mutate(new FuzzInput(bhs, [new LengthField(4, 1), new LengthField(5, 3)]));
                return random.Next(4) == 0 ? mutated : [.. mutated.Take(Bhs.Length), .. new byte[Math.Max(0, Bhs.Length - mutated.Length)]];
        }
    }

    private static bool Box<T>(bool ok, T value, out object? boxed)
    {
        boxed = ok ? value : null;
        return ok;
    }
}
