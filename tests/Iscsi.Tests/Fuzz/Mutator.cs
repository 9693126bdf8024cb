namespace Iscsi.Tests.Fuzz;

/// <summary>
/// Seeded mutation of valid inputs, the kind of damage a broken or hostile peer does: bit flips, bytes replaced
/// by boundary values, truncation, extension, length fields set to 0 / max / 2^24-1 / off by one, a segment
/// duplicated or removed. Starting from valid input keeps most mutants close enough to valid to get past the
/// first checks, which is where the interesting bugs are.
/// </summary>
internal sealed class Mutator
{
    private static readonly byte[] BoundaryBytes = [0x00, 0xFF, 0x80, 0x7F, 0x01, 0xFE];
    private static readonly ulong[] InterestingLengths = [0, 1, 2, 3, 4, 47, 48, 49, 255, 256, 8191, 8192, 8193, 65535, 65536, 0xFFFFFF];

    private readonly Random _random;

    public Mutator(Random random) => _random = random;

    /// <summary>One to <paramref name="maxRounds"/> mutations of a copy of <paramref name="input"/>. With
    /// <paramref name="inPlace"/> the length stays as it was (bytes change, none are added or removed).</summary>
    public byte[] Mutate(FuzzInput input, int maxRounds = 4, bool inPlace = false)
    {
        var data = new List<byte>(input.Bytes);
        int rounds = 1 + _random.Next(maxRounds);
        for (int round = 0; round < rounds; round++)
            MutateOnce(data, input.LengthFields, inPlace);
        return data.ToArray();
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<LengthField> lengthFields, bool inPlace)
    {
        int kind = _random.Next(10);
        if (inPlace && kind is 3 or 4 or 7 or 8) kind = 9;
        switch (kind)
        {
            case 0 when data.Count > 0: // flip one bit
                int at = _random.Next(data.Count);
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0: // a boundary value
                data[_random.Next(data.Count)] = BoundaryBytes[_random.Next(BoundaryBytes.Length)];
                break;
            case 2 when data.Count > 0: // any value
                data[_random.Next(data.Count)] = (byte)_random.Next(256);
                break;
            case 3 when data.Count > 0: // truncate
                int cut = _random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
                break;
            case 4: // extend with zeros, boundary bytes or noise
                int extra = _random.Next(4) == 0 ? _random.Next(4096) : _random.Next(1, 64);
                byte fill = BoundaryBytes[_random.Next(BoundaryBytes.Length)];
                bool noise = _random.Next(2) == 0;
                for (int i = 0; i < extra; i++) data.Add(noise ? (byte)_random.Next(256) : fill);
                break;
            case 5 or 6 when lengthFields.Count > 0: // lie in a length field
                var field = lengthFields[_random.Next(lengthFields.Count)];
                if (field.Offset + field.Width > data.Count) break;
                var bytes = data.ToArray();
                ulong truth = field.Read(bytes);
                ulong value = _random.Next(5) switch
                {
                    0 => 0,
                    1 => field.MaxValue,
                    2 => truth + 1,
                    3 => truth - 1,
                    _ => InterestingLengths[_random.Next(InterestingLengths.Length)],
                };
                field.Write(bytes, value & field.MaxValue);
                data.Clear();
                data.AddRange(bytes);
                break;
            case 7 when data.Count > 0: // duplicate a segment somewhere
                int start = _random.Next(data.Count);
                int length = Math.Min(data.Count - start, 1 + _random.Next(64));
                var copy = data.GetRange(start, length);
                data.InsertRange(_random.Next(data.Count + 1), copy);
                break;
            case 8 when data.Count > 0: // remove a segment
                int from = _random.Next(data.Count);
                data.RemoveRange(from, Math.Min(data.Count - from, 1 + _random.Next(16)));
                break;
            default: // a run of one boundary byte over part of the input
                if (data.Count == 0) { data.Add(BoundaryBytes[_random.Next(BoundaryBytes.Length)]); break; }
                int runStart = _random.Next(data.Count);
                int runLength = Math.Min(data.Count - runStart, 1 + _random.Next(8));
                byte runByte = BoundaryBytes[_random.Next(BoundaryBytes.Length)];
                for (int i = 0; i < runLength; i++) data[runStart + i] = runByte;
                break;
        }
    }
}
