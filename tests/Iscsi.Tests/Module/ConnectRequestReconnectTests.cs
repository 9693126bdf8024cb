using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>Connect-IscsiTarget's -ReconnectAttempts / -ReconnectTimeoutSec: passed to the engine, refused when out of range
/// (the cmdlet's ValidateRange catches these first; the logic refuses them too for callers that skip binding).</summary>
public sealed class ConnectRequestReconnectTests
{
    private const string Iqn = "iqn.2026-11.test.iscsimodule:disk";

    [Fact]
    public void Without_the_parameters_the_engine_defaults_apply()
    {
        var plan = new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h" }.Build();
        Assert.Equal(new IscsiSessionOptions().ReconnectAttempts, plan.Options.ReconnectAttempts);
        Assert.Equal(IscsiSessionOptions.DefaultReconnectTimeout, plan.Options.ReconnectTimeout);
    }

    [Fact]
    public void The_parameters_reach_the_session_options()
    {
        var plan = new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", ReconnectAttempts = 0, ReconnectTimeoutSec = 45 }.Build();
        Assert.Equal(0, plan.Options.ReconnectAttempts);
        Assert.Equal(TimeSpan.FromSeconds(45), plan.Options.ReconnectTimeout);
    }

    [Theory]
    [InlineData(-1, null, "ReconnectAttemptsInvalid", "-1")]
    [InlineData(null, 0, "ReconnectTimeoutInvalid", "0")]
    [InlineData(null, -5, "ReconnectTimeoutInvalid", "-5")]
    public void Out_of_range_values_are_refused_naming_the_value(int? attempts, int? seconds, string errorId, string named)
    {
        var error = Assert.Throws<IscsiArgumentException>(() =>
            new ConnectRequest { NodeAddress = Iqn, TargetPortalAddress = "h", ReconnectAttempts = attempts, ReconnectTimeoutSec = seconds }.Build());
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(named, error.Message);
    }
}
