using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Remove-Module (or the end of the process's last use of the module) logs every cached session out,
/// so targets do not keep sessions of a module that is gone.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    private static readonly TimeSpan LogoutTimeout = TimeSpan.FromSeconds(10);

    public void OnRemove(PSModuleInfo psModuleInfo) => SessionConnector.LogoutAll(SessionCache.Shared, LogoutTimeout);
}
