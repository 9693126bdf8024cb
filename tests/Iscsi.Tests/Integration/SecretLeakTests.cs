using System.Collections;
using System.Reflection;
using Iscsi.Discovery;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

/// <summary>A full mutual-CHAP session, its failures included, and everything it can show a user: no secret anywhere.</summary>
[Collection(TgtdCollection.Name)]
public sealed class SecretLeakTests(TgtdTarget target)
{
    [RequiresTgtdFact]
    public async Task No_secret_appears_in_any_message_tostring_or_property_of_a_chap_session()
    {
        string[] secrets = [target.MutualSecret, target.MutualTargetSecret, "wrong-secret-for-leak-test", "wrong-target-secret-x"];
        var seen = new List<string>();

        var options = TargetSession.Fast();
        options.Chap = new ChapCredential(target.MutualUser, target.MutualSecret);
        options.TargetChap = new ChapCredential(target.MutualTargetUser, target.MutualTargetSecret);
        await using (var session = await IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, options))
        {
            Collect(seen, session, depth: 2);
            Collect(seen, session.Options, depth: 2);
            var result = await session.ReadBlocksAsync(1, 0, 1, 512, new byte[512]);
            Collect(seen, result, depth: 2);
            Collect(seen, await session.ReadBlocksAsync(1, ulong.MaxValue - 1, 1, 512, new byte[512]), depth: 2);
        }

        var bad = TargetSession.Fast();
        bad.Chap = new ChapCredential(target.MutualUser, "wrong-secret-for-leak-test");
        seen.Add((await Assert.ThrowsAnyAsync<IscsiException>(() =>
            IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, bad))).ToString());
        var badTarget = TargetSession.Fast();
        badTarget.Chap = new ChapCredential(target.MutualUser, target.MutualSecret);
        badTarget.TargetChap = new ChapCredential(target.MutualTargetUser, "wrong-target-secret-x");
        seen.Add((await Assert.ThrowsAnyAsync<IscsiException>(() =>
            IscsiSession.ConnectAsync(target.Host, target.Port, target.MutualIqn, badTarget))).ToString());
        var url = $"iscsi://{target.MutualUser}%wrong-secret-for-leak-test@{target.Host}:{target.Port}/{target.MutualIqn}/notalun";
        seen.Add(Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(url)).ToString());
        seen.Add(IscsiUrl.Parse(url.Replace("notalun", "1")).ToString());
        seen.Add(IscsiUrl.Redact(url));

        Assert.NotEmpty(seen);
        foreach (var text in seen)
            foreach (var secret in secrets)
                Assert.DoesNotContain(secret, text);
    }

    /// <summary>ToString and every public property (recursively, a little) as text.</summary>
    private static void Collect(List<string> seen, object? value, int depth)
    {
        if (value is null) return;
        seen.Add(value.ToString() ?? "");
        if (depth == 0 || value is string || value.GetType().IsPrimitive) return;
        if (value is IEnumerable items and not string)
        {
            foreach (var item in items) Collect(seen, item, depth - 1);
            return;
        }
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0) continue;
            object? v;
            try { v = p.GetValue(value); } catch (TargetInvocationException) { continue; }
            if (v is ReadOnlyMemory<byte> or Memory<byte> or byte[]) continue;
            Collect(seen, v, depth - 1);
        }
    }
}
