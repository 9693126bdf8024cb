namespace Iscsi.Tests.Fuzz;

/// <summary>
/// Typing mistakes made to an iSCSI URL: characters inserted, deleted, replaced, doubled or swapped, the scheme
/// mistyped or dropped, the end cut off, letters in the other case, control and non-ASCII characters slipped in.
/// The marked spans (a "user%secret" or "target_password=secret") are never cut into or changed: a mutation through a
/// secret makes another secret, or none, and then there is nothing left to check for. Everything around them is fair game.
/// </summary>
internal sealed class UrlMutator
{
    private const string Alphabet = ":/?&=@%[]#.-_ 0123456789abcxyzABCXYZ";
    private static readonly char[] Oddities = ['\u001b', '\u0007', '\r', '\n', '\t', '\0', '\u007f', '\u009b', '\u00e9', '\u20ac', '\u202e', '\u3000'];
    private static readonly string[] Schemes =
        ["iscsi://", "iscsi:/", "iscsi:", "", " iscsi://", "iscs://", "ISCSI://", "iscsi:///", "http://", "iscsi//", "\tiscsi://", "iscsi:\\\\"];

    private readonly Random _random;

    public UrlMutator(Random random) => _random = random;

    /// <summary>One to <paramref name="maxRounds"/> mistakes made to <paramref name="url"/>.</summary>
    public string Mutate(MarkedText url, int maxRounds = 4)
    {
        var cells = url.Cells.ToList();
        int rounds = 1 + _random.Next(maxRounds);
        for (int round = 0; round < rounds; round++) MutateOnce(cells);
        return new string(cells.Select(c => c.Char).ToArray());
    }

    private void MutateOnce(List<MarkedText.Cell> cells)
    {
        switch (_random.Next(9))
        {
            case 0: // a character slipped in
                if (FreeGap(cells) is { } at) cells.Insert(at, new(AnyCharacter(), -1));
                break;
            case 1: // one left out
                if (FreeCell(cells) is { } gone) cells.RemoveAt(gone);
                break;
            case 2: // one mistyped
                if (FreeCell(cells) is { } wrong) cells[wrong] = new(AnyCharacter(), -1);
                break;
            case 3: // a few typed twice
                if (FreeRun(cells, 1 + _random.Next(3)) is { } run && FreeGap(cells) is { } to)
                    cells.InsertRange(to, cells.GetRange(run.Start, run.Length));
                break;
            case 4: // a few left out
                if (FreeRun(cells, 1 + _random.Next(4)) is { } cut) cells.RemoveRange(cut.Start, cut.Length);
                break;
            case 5: // two swapped
                if (FreeRun(cells, 2) is { } pair) (cells[pair.Start], cells[pair.Start + 1]) = (cells[pair.Start + 1], cells[pair.Start]);
                break;
            case 6: // the scheme mistyped, dropped or doubled
                int end = SchemeEnd(cells);
                cells.RemoveRange(0, end);
                cells.InsertRange(0, Schemes[_random.Next(Schemes.Length)].Select(c => new MarkedText.Cell(c, -1)));
                break;
            case 7: // the end cut off
                if (FreeGap(cells) is { } stop) cells.RemoveRange(stop, cells.Count - stop);
                break;
            default: // a letter in the other case
                if (FreeCell(cells) is { } letter && char.IsLetter(cells[letter].Char))
                {
                    char c = cells[letter].Char;
                    cells[letter] = new(char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c), -1);
                }
                break;
        }
    }

    private char AnyCharacter() => _random.Next(6) == 0 ? Oddities[_random.Next(Oddities.Length)] : Alphabet[_random.Next(Alphabet.Length)];

    /// <summary>A position to insert at that is not inside a marked span.</summary>
    private int? FreeGap(List<MarkedText.Cell> cells)
    {
        for (int tries = 0; tries < 8; tries++)
        {
            int at = _random.Next(cells.Count + 1);
            bool inside = at > 0 && at < cells.Count && cells[at - 1].Span >= 0 && cells[at - 1].Span == cells[at].Span;
            if (!inside) return at;
        }
        return null;
    }

    private int? FreeCell(List<MarkedText.Cell> cells) => FreeRun(cells, 1)?.Start;

    private (int Start, int Length)? FreeRun(List<MarkedText.Cell> cells, int length)
    {
        if (cells.Count < length) return null;
        for (int tries = 0; tries < 8; tries++)
        {
            int start = _random.Next(cells.Count - length + 1);
            if (cells.Skip(start).Take(length).All(c => c.Span < 0)) return (start, length);
        }
        return null;
    }

    /// <summary>How many leading characters form the scheme ("iscsi://" or what is left of it), stopping at a marked span.</summary>
    private static int SchemeEnd(List<MarkedText.Cell> cells)
    {
        string text = new(cells.TakeWhile(c => c.Span < 0).Select(c => c.Char).ToArray());
        int separator = text.IndexOf("//", StringComparison.Ordinal);
        if (separator >= 0 && separator <= 8) return separator + 2;
        int colon = text.IndexOf(':');
        return colon is >= 0 and <= 6 && text.StartsWith("iscs", StringComparison.OrdinalIgnoreCase) ? colon + 1 : 0;
    }
}

/// <summary>A text whose characters belong to a marked span (0, 1, ...) or to none (-1).</summary>
internal sealed class MarkedText
{
    internal readonly record struct Cell(char Char, int Span);

    private readonly List<Cell> _cells = [];

    public IReadOnlyList<Cell> Cells => _cells;

    public MarkedText Plain(string text)
    {
        _cells.AddRange(text.Select(c => new Cell(c, -1)));
        return this;
    }

    public MarkedText Marked(string text)
    {
        int span = _cells.Count == 0 ? 0 : _cells.Max(c => c.Span) + 1;
        _cells.AddRange(text.Select(c => new Cell(c, span)));
        return this;
    }

    public override string ToString() => new(_cells.Select(c => c.Char).ToArray());
}
