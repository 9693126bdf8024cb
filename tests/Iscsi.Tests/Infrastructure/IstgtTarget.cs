namespace Iscsi.Tests.Infrastructure;

/// <summary>A throwaway istgt started through tests/targets/istgt-target.sh; see <see cref="TestTarget"/>.
/// Use it through the "istgt" collection so one test run shares one target.</summary>
public sealed class IstgtTarget : TestTarget
{
    public override TargetKind Kind => TargetKind.Istgt;

    protected override string Script => RepositoryPaths.IstgtTargetScript;

    public override string VendorId => "FreeBSD";

    /// <summary>No controller LU: LUN 0 (mandatory in istgt) is a small disk; the 4096-byte LUN 3 and the
    /// read-only LUN 4 are on targets of their own because istgt sets block length and read-only per target.</summary>
    public override IReadOnlyList<int> DiskTargetLuns => [0, 1, 2];

    /// <summary>istgt 0.4 refuses "InitialR2T No" in its config ("not supported value No").</summary>
    public override bool AllowsInitialR2TNo => false;

    /// <summary>istgt 0.4 sends CHECK CONDITION with an empty data segment (and a zero residual) for a READ or
    /// WRITE past the capacity and for a WRITE to a read-only unit; REQUEST SENSE afterwards says NO SENSE.
    /// A missing LUN does get its sense data (ILLEGAL REQUEST, 25h).</summary>
    public override bool SendsSenseWithEveryCheckCondition => false;
}
