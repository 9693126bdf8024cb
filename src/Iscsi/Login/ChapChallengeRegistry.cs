namespace Iscsi.Login;

/// <summary>
/// Remembers the mutual-CHAP challenges this process issued recently, so that a challenge coming back to us
/// from a target can be recognised. That is the reflection attack: a rogue target that cannot answer our
/// challenge on one connection opens another login with us and asks *us* to answer it (RFC 7143 9.2.1 tells
/// implementations to refuse a challenge identical to one they sent). A target sends its challenge before we send
/// ours in the same login, so the check has to span logins, hence one process-wide list.
/// </summary>
internal static class ChapChallengeRegistry
{
    /// <summary>Enough to cover every login running at once in a busy process, small enough to scan cheaply.</summary>
    private const int Capacity = 256;

    private static readonly Queue<byte[]> Recent = new();
    private static readonly object Gate = new();

    public static void Remember(byte[] challenge)
    {
        lock (Gate)
        {
            if (Recent.Count == Capacity)
                Recent.Dequeue();
            Recent.Enqueue(challenge.ToArray());
        }
    }

    public static bool WasIssued(ReadOnlySpan<byte> challenge)
    {
        lock (Gate)
        {
            foreach (byte[] issued in Recent)
            {
                if (challenge.SequenceEqual(issued))
                    return true;
            }
            return false;
        }
    }
}
