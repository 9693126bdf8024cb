namespace Iscsi.Tests.Fakes;

/// <summary>A Login Response a test scripts in place of the fake's own answer (see
/// <see cref="FakeTargetSettings.LoginOverride"/>): <paramref name="Data"/> goes out as is, so it may be anything,
/// malformed text included. Stages are the CSG/NSG numbers; a reply with T set and NSG 3 completes the login.</summary>
internal sealed record FakeLoginReply(byte[] Data, bool Transit = false, bool Continue = false, byte CurrentStage = 0,
    byte NextStage = 0, byte StatusClass = 0, byte StatusDetail = 0)
{
    /// <summary>"key=value" strings, each ended by a NUL, as UTF-8.</summary>
    public static byte[] Text(params string[] pairs) =>
        System.Text.Encoding.UTF8.GetBytes(string.Concat(pairs.Select(p => p + "\0")));
}
