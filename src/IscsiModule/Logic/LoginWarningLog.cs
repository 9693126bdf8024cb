namespace IscsiModule.Logic;

/// <summary>Warnings a login says while it runs (on its own thread), kept for Connect-IscsiTarget to write on the
/// pipeline thread. Once taken, later ones (from the session's reconnects, long after the cmdlet ended) are dropped.</summary>
public sealed class LoginWarningLog
{
    private readonly List<string> _heard = [];
    private bool _taken;

    public void Add(string warning)
    {
        lock (_heard)
        {
            if (!_taken && !_heard.Contains(warning)) _heard.Add(warning);
        }
    }

    public IReadOnlyList<string> TakeAll()
    {
        lock (_heard)
        {
            _taken = true;
            return _heard.ToArray();
        }
    }
}
