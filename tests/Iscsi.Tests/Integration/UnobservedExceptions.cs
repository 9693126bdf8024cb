namespace Iscsi.Tests.Integration;

/// <summary>Collects unobserved task exceptions while alive, keeping only those whose text contains a marker
/// (e.g. ":&lt;proxy port&gt;", which every engine message about that connection names), so that tests running in
/// parallel elsewhere cannot make this one fail.</summary>
internal sealed class UnobservedExceptions : IDisposable
{
    private readonly string _marker;
    private readonly List<Exception> _seen = [];

    public UnobservedExceptions(string marker)
    {
        _marker = marker;
        TaskScheduler.UnobservedTaskException += OnUnobserved;
    }

    /// <summary>Collects the garbage (where unobserved exceptions surface) and fails if any of ours came up.</summary>
    public void AssertNone()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        lock (_seen) Assert.True(_seen.Count == 0, string.Join(Environment.NewLine, _seen));
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        if (e.Exception.ToString().Contains(_marker, StringComparison.Ordinal))
            lock (_seen) _seen.Add(e.Exception);
    }
}
