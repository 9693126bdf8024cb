using Iscsi.Login;

namespace Iscsi.Session;

/// <summary>
/// tgtd (Linux SCSI target framework, at least through 1.0.97) numbers its SHA-1 CHAP digest 7, which IANA
/// assigns to SHA-256. Offered our list (SHA3-256, SHA-256, SHA-1, MD5) it answers CHAP_A=7, computes SHA-1,
/// and refuses our correct SHA-256 response with an initiator error. When that exact pattern occurs and
/// the caller did not choose the algorithms, the login is tried once more without SHA-256, so that tgtd
/// falls back to MD5. A real wrong secret then fails the second login too and is reported as such.
/// (An attacker able to fake the refusal could as well strip CHAP_A values in flight: CHAP_A is not
/// protected, so this fallback gives nothing away.)
/// </summary>
internal static class TgtdSha1Quirk
{
    public static IReadOnlyList<ChapAlgorithm> Fallback { get; } =
        Chap.SupportedAlgorithms.Where(a => a != ChapAlgorithm.Sha256).ToArray();

    public static bool Applies(IscsiLoginException refusal, LoginStateMachine machine, IscsiSessionOptions options)
        => options.ChapAlgorithms is null
           && refusal.StatusClass == 0x02 && refusal.StatusDetail is 0x00 or 0x01
           && machine.ChosenChapAlgorithm == ChapAlgorithm.Sha256;
}
