namespace IscsiModule.Logic;

/// <summary>How many runspaces of the process have the module imported now. The count never goes below zero: a
/// removal PowerShell reports without a matching import (a runspace that imported before the count existed) is
/// taken as the last.</summary>
public static class ModuleImports
{
    private static int s_count;

    public static int Count => Volatile.Read(ref s_count);

    public static void Imported() => Interlocked.Increment(ref s_count);

    /// <summary>True when this removal was the last import of the process.</summary>
    public static bool Removed()
    {
        while (true)
        {
            int current = Volatile.Read(ref s_count);
            int next = Math.Max(0, current - 1);
            if (Interlocked.CompareExchange(ref s_count, next, current) == current) return next == 0;
        }
    }
}
