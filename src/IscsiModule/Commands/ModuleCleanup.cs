using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>
/// The session cache is one per process, shared by every runspace that imported the module (ForEach-Object
/// -Parallel, thread jobs, the caller's own). So only the last unload logs the sessions out: a Remove-Module in a
/// -Parallel script block must not end the caller's sessions. PowerShell calls OnImport for every import of the
/// module into a runspace and OnRemove for every removal; <see cref="ModuleImports"/> counts what is left.
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly TimeSpan LogoutTimeout = TimeSpan.FromSeconds(10);

    public void OnImport() => ModuleImports.Imported();

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (ModuleImports.Removed()) SessionConnector.LogoutAll(SessionCache.Shared, LogoutTimeout);
    }
}
