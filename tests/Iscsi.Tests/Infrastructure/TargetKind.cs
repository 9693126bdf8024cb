namespace Iscsi.Tests.Infrastructure;

/// <summary>The real iSCSI targets the integration tests run against, each started by its own script under tests/targets.</summary>
public enum TargetKind
{
    /// <summary>tgtd, the Linux SCSI target framework (Debian package tgt), via tgt-target.sh.</summary>
    Tgtd,

    /// <summary>istgt 0.4, FreeBSD's userspace target (Debian package istgt), via istgt-target.sh.</summary>
    Istgt,
}
