namespace Iscsi.Tests.Infrastructure;

/// <summary>A throwaway tgtd started through tests/targets/tgt-target.sh; see <see cref="TestTarget"/>.
/// Use it through the "tgtd" collection so one test run shares one target.</summary>
public sealed class TgtdTarget : TestTarget
{
    public override TargetKind Kind => TargetKind.Tgtd;

    protected override string Script => RepositoryPaths.TgtTargetScript;

    /// <summary>tgtd's control port (tgtadm -C), a number naming a unix socket, not a TCP port.</summary>
    public int ControlPort => Env.RequireInt32("CONTROL_PORT");

    public override string VendorId => "IET";

    /// <summary>LUN 0 is tgtd's own storage array controller LU; 1-4 are the profile's disks.</summary>
    public override IReadOnlyList<int> DiskTargetLuns => [0, 1, 2, 3, 4];

    /// <summary>tgt-target.sh sets InitialR2T=No on the disk target, so the initiator decides.</summary>
    public override bool AllowsInitialR2TNo => true;

    public override bool SendsSenseWithEveryCheckCondition => true;
}
