using Iscsi.Tests.Infrastructure;
using IscsiModule;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>Connects through the module's own logic (ConnectRequest → SessionConnector) into a private cache.</summary>
internal static class ModuleTarget
{
    public static IscsiSessionOptions Fast() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        LoginTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(20),
    };

    public static Task<IscsiSessionInfo> ConnectDiskAsync(this TgtdTarget target, SessionCache cache, bool @new = false)
        => SessionConnector.ConnectAsync(cache, new ConnectRequest
        {
            NodeAddress = target.DiskIqn, TargetPortalAddress = target.Host, TargetPortalPortNumber = target.Port,
            New = @new, Template = Fast(),
        }.Build(), CancellationToken.None);

    public static async Task LogoutAllAsync(this SessionCache cache)
    {
        foreach (var s in cache.TakeAll())
        {
            try { await SessionConnector.DisconnectAsync(cache, s, CancellationToken.None); }
            catch (IscsiException) { }
        }
    }
}
