using System.Buffers.Binary;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Where a <see cref="PduFramer"/> reports the PDUs it sees, and lets faults change bytes before they
/// are forwarded.</summary>
internal interface IPduObserver
{
    /// <summary>Byte 0 of a PDU has been seen: <paramref name="opcode"/> is its six-bit opcode.</summary>
    void OnPduStart(byte opcode);

    /// <summary>The BHS is complete (original bytes): the data segment length is known.</summary>
    void OnHeaderComplete(byte opcode, int dataSegmentLength);

    /// <summary><paramref name="run"/> holds BHS bytes starting at BHS offset <paramref name="offset"/>; may be changed.</summary>
    void OnHeaderBytes(Span<byte> run, int offset);

    /// <summary><paramref name="run"/> holds data segment bytes starting at <paramref name="offset"/>; may be changed.</summary>
    void OnDataBytes(Span<byte> run, int offset);
}

/// <summary>Whether a connection is past its login: shared by the two framers of one connection, because the
/// Login Response that ends the login (target to initiator) switches digests on for both directions.</summary>
internal sealed class LoginPhase
{
    private volatile bool _fullFeature;
    public bool IsFullFeature => _fullFeature;
    public void EnterFullFeaturePhase() => _fullFeature = true;
}

/*  The PDU boundary facts the framer relies on (RFC 7143):

    11.1 / 11.2  every PDU is  BHS (48 bytes) | AHS (TotalAHSLength words) | HeaderDigest? | DataSegment | pad | DataDigest?

         0               1               2               3
       0 |.|I| Opcode    |F| opcode-specific                               |
       4 | TotalAHSLength| DataSegmentLength (24-bit, big-endian, bytes)   |
       8 | ...                                                             |
      36 | Status-Class  | Status-Detail |   (Login Response only)         |

    - Opcode is the low six bits of byte 0. TotalAHSLength (byte 4) counts 4-byte words, each AHS already padded.
    - DataSegmentLength excludes the padding; the data segment is padded with 0-3 bytes to a multiple of 4.
    - HeaderDigest and DataDigest (13.1) are 4-byte CRC32C values, present only when negotiated. The header digest
      follows the AHS (or the BHS) of every PDU; the data digest follows the padded data segment, and a PDU with an
      empty data segment has none.
    - Digests are negotiated during login and are never used on login PDUs: they apply from the first PDU after the
      Login Response (opcode 0x23, 11.13) that ends the login, i.e. has the T bit (byte 1 bit 7) set, NSG (byte 1
      bits 0-1) = 3 (full feature phase) and Status-Class 0. The initiator sends nothing after its last Login
      Request until that response arrives, so switching both directions when the response passes is exact.

    The framer walks the ORIGINAL bytes: a fault that corrupts a length field corrupts what the receiver sees, not
    the proxy's idea of where the sender's PDUs end.  */

/// <summary>Follows PDU boundaries in one direction of an iSCSI byte stream as it passes through the proxy,
/// however the stream is chunked, and tells an <see cref="IPduObserver"/> where each PDU's header and data are.</summary>
internal sealed class PduFramer
{
    public const int BhsLength = 48;
    private const int OpcodeOffset = 0;
    private const byte OpcodeMask = 0x3f;
    private const int FlagsOffset = 1;
    private const int TotalAhsLengthOffset = 4;
    private const int DataSegmentLengthOffset = 5;
    private const int LoginStatusClassOffset = 36;
    private const byte LoginResponseOpcode = 0x23;
    private const byte TransitBit = 0x80;
    private const byte NextStageMask = 0x03;
    private const byte FullFeaturePhaseStage = 3;
    private const int DigestLength = 4;

    private enum Section { Bhs, Ahs, HeaderDigest, Data, Padding, DataDigest }

    private readonly bool _headerDigest, _dataDigest;
    private readonly LoginPhase _loginPhase;
    private readonly IPduObserver _observer;
    private readonly byte[] _bhs = new byte[BhsLength];
    private Section _section = Section.Bhs;
    private int _sectionLength = BhsLength;
    private int _sectionOffset;
    private bool _digestsOnThisPdu;
    private byte _opcode;
    private int _ahsLength, _dataLength;
    private long _completedPdus;

    public PduFramer(bool headerDigest, bool dataDigest, LoginPhase loginPhase, IPduObserver observer)
    {
        _headerDigest = headerDigest;
        _dataDigest = dataDigest;
        _loginPhase = loginPhase;
        _observer = observer;
    }

    /// <summary>PDUs whose last byte has passed.</summary>
    public long CompletedPdus => Interlocked.Read(ref _completedPdus);

    /// <summary>Walks <paramref name="bytes"/> (the next bytes of the stream, in place) through the framing.</summary>
    public void Process(Span<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int take = Math.Min(bytes.Length, _sectionLength - _sectionOffset);
            var run = bytes[..take];
            if (_section == Section.Bhs)
            {
                run.CopyTo(_bhs.AsSpan(_sectionOffset)); // the original bytes, before any fault touches them
                if (_sectionOffset == 0)
                {
                    _digestsOnThisPdu = _loginPhase.IsFullFeature;
                    _opcode = (byte)(_bhs[OpcodeOffset] & OpcodeMask);
                    _observer.OnPduStart(_opcode);
                }
                _observer.OnHeaderBytes(run, _sectionOffset);
            }
            else if (_section == Section.Data)
            {
                _observer.OnDataBytes(run, _sectionOffset);
            }
            _sectionOffset += take;
            bytes = bytes[take..];
            if (_sectionOffset == _sectionLength) NextSection();
        }
    }

    private void NextSection()
    {
        if (_section == Section.Bhs)
        {
            _ahsLength = _bhs[TotalAhsLengthOffset] * 4;
            _dataLength = (_bhs[DataSegmentLengthOffset] << 16) | BinaryPrimitives.ReadUInt16BigEndian(_bhs.AsSpan(DataSegmentLengthOffset + 1));
            _observer.OnHeaderComplete(_opcode, _dataLength);
        }
        do
        {
            if (_section == Section.DataDigest)
            {
                EndPdu();
                return;
            }
            _section++;
            _sectionOffset = 0;
            _sectionLength = _section switch
            {
                Section.Ahs => _ahsLength,
                Section.HeaderDigest => _digestsOnThisPdu && _headerDigest ? DigestLength : 0,
                Section.Data => _dataLength,
                Section.Padding => (4 - (_dataLength & 3)) & 3,
                _ => _digestsOnThisPdu && _dataDigest && _dataLength > 0 ? DigestLength : 0,
            };
        }
        while (_sectionLength == 0);
    }

    private void EndPdu()
    {
        if (_opcode == LoginResponseOpcode
            && (_bhs[FlagsOffset] & TransitBit) != 0
            && (_bhs[FlagsOffset] & NextStageMask) == FullFeaturePhaseStage
            && _bhs[LoginStatusClassOffset] == 0)
        {
            _loginPhase.EnterFullFeaturePhase();
        }
        Interlocked.Increment(ref _completedPdus);
        _section = Section.Bhs;
        _sectionLength = BhsLength;
        _sectionOffset = 0;
    }
}
