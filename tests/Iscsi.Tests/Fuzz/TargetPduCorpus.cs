using System.Buffers.Binary;
using System.Text;
using Iscsi.Login;
using Iscsi.Pdu;

namespace Iscsi.Tests.Fuzz;

/// <summary>Valid target-to-initiator PDUs of every target opcode, as seeds for mutation, and their framing on
/// the wire (AHS, header digest, padding, data digest) with the length fields a mutator should lie in.</summary>
internal static class TargetPduCorpus
{
    private const uint NoTag = Bhs.ReservedTag;

    /// <summary>One valid target PDU, a random instance of a random opcode; sometimes with an AHS.</summary>
    public static (byte[] Bhs, byte[] Ahs, byte[] Data) Create(Random random)
    {
        uint itt = (uint)random.Next(1, 1 << 16);
        uint statSn = (uint)random.Next(), exp = (uint)random.Next(), max = exp + (uint)random.Next(64);
        byte[] data = [];
        var bhs = new byte[Bhs.Length];
        switch (random.Next(10))
        {
            case 0:
                data = RandomBytes(random, random.Next(0, 64));
                new NopIn { InitiatorTaskTag = random.Next(2) == 0 ? itt : NoTag, TargetTransferTag = random.Next(2) == 0 ? NoTag : 7,
                    StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
            case 1:
                data = random.Next(2) == 0 ? [] : SenseSegment(random);
                new ScsiResponse { InitiatorTaskTag = itt, Status = data.Length > 0 ? (byte)2 : (byte)0, Underflow = random.Next(2) == 0,
                    ResidualCount = (uint)random.Next(4096), StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
            case 2:
                new TaskManagementResponse { Response = (byte)random.Next(7), InitiatorTaskTag = itt, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(bhs);
                break;
            case 3:
                data = LoginText(random);
                new LoginResponse { Transit = true, CurrentStage = 1, NextStage = 3, Tsih = 0x1234, InitiatorTaskTag = itt,
                    StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
            case 4:
                data = Encoding.UTF8.GetBytes("TargetName=iqn.2025-01.test:disk\0TargetAddress=127.0.0.1:3260,1\0");
                new TextResponse { Final = true, InitiatorTaskTag = itt, TargetTransferTag = NoTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
                    DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
            case 5:
                data = RandomBytes(random, random.Next(1, 2048));
                bool last = random.Next(2) == 0;
                new DataIn { InitiatorTaskTag = itt, TargetTransferTag = NoTag, Final = last, HasStatus = last, StatSn = last ? statSn : 0,
                    ExpCmdSn = exp, MaxCmdSn = max, DataSn = (uint)random.Next(4), BufferOffset = (uint)random.Next(4) * 512,
                    DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
            case 6:
                new LogoutResponse { InitiatorTaskTag = itt, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(bhs);
                break;
            case 7:
                new ReadyToTransfer { InitiatorTaskTag = itt, TargetTransferTag = 0x77, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
                    BufferOffset = (uint)random.Next(4) * 512, DesiredDataTransferLength = 512 }.WriteTo(bhs);
                break;
            case 8:
                data = random.Next(2) == 0 ? [] : SenseSegment(random);
                new AsyncMessage { AsyncEvent = (byte)random.Next(5), Parameter3 = 2, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max,
                    DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
            default:
                data = new byte[Bhs.Length];
                new ScsiCommandRequest { InitiatorTaskTag = itt, Read = true, ExpectedDataTransferLength = 512 }.WriteTo(data);
                new Reject { Reason = (byte)random.Next(4, 13), StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }.WriteTo(bhs);
                break;
        }
        byte[] ahs = random.Next(4) == 0 ? ValidAhs(random) : [];
        bhs[Bhs.TotalAhsLengthOffset] = (byte)(ahs.Length / 4);
        return (bhs, ahs, data);
    }

    /// <summary>BHS | AHS | header digest? | data + pad | data digest?, with the length fields of this PDU
    /// (offsets relative to <paramref name="at"/>, where the PDU will sit in a larger stream).</summary>
    public static byte[] Frame((byte[] Bhs, byte[] Ahs, byte[] Data) pdu, bool headerDigest, bool dataDigest, int at, List<LengthField> fields)
    {
        var bytes = new List<byte>(pdu.Bhs);
        bytes.AddRange(pdu.Ahs);
        if (headerDigest) AddDigest(bytes, Crc32C.Compute(bytes.ToArray()));
        fields.Add(new LengthField(at + Bhs.TotalAhsLengthOffset, 1));
        fields.Add(new LengthField(at + Bhs.DataSegmentLengthOffset, 3));
        for (int offset = 0; offset + 2 <= pdu.Ahs.Length;)
        {
            fields.Add(new LengthField(at + Bhs.Length + offset, 2));
            offset += PduLayout.PadTo4(3 + BinaryPrimitives.ReadUInt16BigEndian(pdu.Ahs.AsSpan(offset)));
        }
        if (pdu.Data.Length > 0)
        {
            var padded = new byte[PduLayout.PadTo4(pdu.Data.Length)];
            pdu.Data.CopyTo(padded, 0);
            // The SenseLength of a SCSI Response segment is a length a mutator should lie in too.
            if (Bhs.GetOpcode(pdu.Bhs) is Opcode.ScsiResponse or Opcode.AsyncMessage && pdu.Data.Length >= 2)
                fields.Add(new LengthField(at + bytes.Count, 2));
            bytes.AddRange(padded);
            if (dataDigest) AddDigest(bytes, Crc32C.Compute(padded));
        }
        return bytes.ToArray();
    }

    private static void AddDigest(List<byte> bytes, uint digest)
    {
        var d = new byte[Crc32C.DigestLength];
        Crc32C.WriteDigest(d, digest);
        bytes.AddRange(d);
    }

    /// <summary>One or two well-formed AHS entries (RFC 7143 11.2.2), e.g. a bidirectional read length.</summary>
    private static byte[] ValidAhs(Random random)
    {
        var ahs = new List<byte>();
        int entries = 1 + random.Next(2);
        for (int i = 0; i < entries; i++)
        {
            int specific = random.Next(2) == 0 ? 5 : 1 + random.Next(20); // AHSLength: bytes after the type byte
            var entry = new byte[PduLayout.PadTo4(3 + specific)];
            BinaryPrimitives.WriteUInt16BigEndian(entry, (ushort)specific);
            entry[2] = (byte)(random.Next(2) == 0 ? AhsType.BidirectionalReadDataLength : AhsType.ExtendedCdb);
            random.NextBytes(entry.AsSpan(3, specific));
            ahs.AddRange(entry);
        }
        return ahs.ToArray();
    }

    public static byte[] SenseSegment(Random random)
    {
        byte[] sense = [0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0];
        sense[2] = (byte)random.Next(16);
        var segment = new byte[2 + sense.Length];
        ScsiResponseData.Write(segment, sense);
        return segment;
    }

    private static byte[] LoginText(Random random)
    {
        var keys = new TextKeyValues();
        keys.Add("HeaderDigest", "None");
        keys.Add("MaxRecvDataSegmentLength", random.Next(512, 65536).ToString(System.Globalization.CultureInfo.InvariantCulture));
        keys.Add("TargetPortalGroupTag", "1");
        return keys.Encode();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
