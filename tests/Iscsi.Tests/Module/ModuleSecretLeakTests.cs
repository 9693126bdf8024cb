using Iscsi.Scsi;
using Iscsi.Tests.Cli;
using Iscsi.Tests.Infrastructure;
using IscsiModule;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>
/// The module's logic through a full mutual-CHAP life against tgtd: connect, discover with a credential, transfer,
/// ping, LUN description, failed logins mapped to ErrorRecord data, disconnect, and the `iscsi` command with both
/// secrets in its URL. Everything a user could see (objects and every property, ToString, messages, progress,
/// warnings, plans, stdout/stderr) is searched for every secret in plain, hex and base64 form.
/// </summary>
[Collection(TgtdCollection.Name)]
public sealed class ModuleSecretLeakTests(TgtdTarget target)
{
    private const string WrongSecret = "wrong-initiator-secret-7q";
    private const string WrongTargetSecret = "wrong-target-secret-8r";

    private string[] Secrets => [target.MutualSecret, target.MutualTargetSecret, target.ChapSecret, WrongSecret, WrongTargetSecret];

    [RequiresTgtdFact]
    public async Task No_secret_reaches_anything_the_module_or_the_cli_shows()
    {
        var seen = new TextCollector();
        var cache = new SessionCache();
        try
        {
            // A successful mutual-CHAP connect: request, plan, the session object and all it shows.
            var request = MutualRequest(target.MutualSecret, target.MutualTargetSecret);
            var plan = request.Build();
            seen.Walk(request);
            seen.Walk(plan);
            seen.Add($"Connecting to {plan.NodeAddress} at {plan.Host}:{plan.Port} ({plan.AuthenticationType})."); // the cmdlet's verbose line
            var session = await SessionConnector.ConnectAsync(cache, plan, CancellationToken.None);
            Assert.Equal(IscsiAuthenticationType.MutualChap, session.AuthenticationType);
            seen.Walk(session);
            seen.Walk(session.Session.Warnings);
            Assert.NotEmpty(session.Session.Warnings); // tgtd: MD5 (and the SHA-1-numbered-7 retry)

            // The same through a URL carrying both secrets.
            var uriRequest = new ConnectRequest { Uri = MutualUrl(target.MutualSecret, target.MutualTargetSecret), New = true, Template = ModuleTarget.Fast() };
            seen.Walk(uriRequest.Build());
            seen.Walk(await SessionConnector.ConnectAsync(cache, uriRequest.Build(), CancellationToken.None));

            // What the other cmdlets show on that session: a transfer with progress, LUNs, a ping, a raw command's error.
            var progress = new ListProgress();
            var transfer = await BlockTransfer.OpenAsync(session, target.MutualLun1.Number, CancellationToken.None);
            seen.Walk(transfer);
            await transfer.ReadAsync(0, 64, new TransferOptions { BufferSize = 8192, BufferCount = 2 }, progress, CancellationToken.None);
            seen.Walk(progress.Reports);
            seen.Walk(await LunInfoBuilder.BuildAsync(session, null, CancellationToken.None));
            seen.Walk(await SessionPinger.PingOnceAsync(session, 1, CancellationToken.None));
            var past = await session.Session.ExecuteAsync(ScsiCommandFactory.Create(1, Cdb.Read16(ulong.MaxValue - 1, 1), 512, null, null));
            seen.Walk(ErrorMapper.Map(ScsiCommandFactory.StatusError(past, false)!));
            seen.Walk(cache.Sessions);

            // A portal remembered with a credential, and discovery through it.
            var portal = await TargetDiscoverer.AddPortalAsync(cache, target.Host, target.Port, new ChapCredential(target.ChapUser, target.ChapSecret), null, ModuleTarget.Fast(), CancellationToken.None);
            seen.Walk(portal);
            seen.Walk(await TargetDiscoverer.DiscoverAsync(cache, null, null, null, ModuleTarget.Fast(), CancellationToken.None));

            // Failed logins, each as the ErrorRecord data a cmdlet writes (message, ErrorId, category, target object, exception).
            await CollectFailure(seen, cache, MutualRequest(WrongSecret, target.MutualTargetSecret), "LoginFailed.0201");
            await CollectFailure(seen, cache, MutualRequest(target.MutualSecret, WrongTargetSecret), "TargetAuthenticationFailed");
            await CollectFailure(seen, cache, new ConnectRequest { Uri = MutualUrl(WrongSecret, WrongTargetSecret), New = true, Template = ModuleTarget.Fast() }, "LoginFailed.0201");
            string badLun = MutualUrl(WrongSecret, WrongTargetSecret).Replace("?", "/notalun?");
            seen.Walk(ErrorMapper.Map(Assert.Throws<IscsiArgumentException>(() => new ConnectRequest { Uri = badLun }.Build()), IscsiUrl.Redact(badLun)));
            seen.Walk(ErrorMapper.Map(Assert.Throws<IscsiArgumentException>(() => new ConnectRequest
            {
                NodeAddress = target.MutualIqn, TargetPortalAddress = target.Host, AuthenticationType = IscsiAuthenticationType.None,
                Credential = new ChapCredential(target.MutualUser, WrongSecret),
            }.Build())));

            foreach (var s in cache.Sessions.ToList()) await SessionConnector.DisconnectAsync(cache, s, CancellationToken.None);
            seen.Walk(session);
        }
        finally
        {
            await cache.LogoutAllAsync();
        }

        // The `iscsi` command with user%secret and target_password in the URL: success, then both wrong.
        foreach (var (secret, targetSecret, ok) in new[] { (target.MutualSecret, target.MutualTargetSecret, true), (WrongSecret, WrongTargetSecret, false), (target.MutualSecret, WrongTargetSecret, false) })
        {
            var r = await IscsiCommand.RunAsync("capacity", MutualUrl(secret, targetSecret).Replace("?", "/1?"));
            Assert.Equal(ok, r.Succeeded);
            Assert.Contains(ok ? "iscsi: warning:" : "iscsi: error ", r.StandardError);
            seen.Add(r.StandardOutput);
            seen.Add(r.StandardError);
        }

        Assert.True(seen.Texts.Count > 200, $"only {seen.Texts.Count} texts were collected");
        var leaks = SecretForms.Leaks(seen.Texts, Secrets);
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private ConnectRequest MutualRequest(string secret, string targetSecret) => new()
    {
        NodeAddress = target.MutualIqn, TargetPortalAddress = target.Host, TargetPortalPortNumber = target.Port,
        Credential = new ChapCredential(target.MutualUser, secret),
        TargetCredential = new ChapCredential(target.MutualTargetUser, targetSecret),
        New = true, Template = ModuleTarget.Fast(),
    };

    private string MutualUrl(string secret, string targetSecret)
        => $"iscsi://{target.MutualUser}%{secret}@{target.Host}:{target.Port}/{target.MutualIqn}?target_user={target.MutualTargetUser}&target_password={Uri.EscapeDataString(targetSecret)}";

    private static async Task CollectFailure(TextCollector seen, SessionCache cache, ConnectRequest request, string errorId)
    {
        var plan = request.Build();
        seen.Walk(plan);
        var ex = await Assert.ThrowsAnyAsync<IscsiException>(() => SessionConnector.ConnectAsync(cache, plan, CancellationToken.None));
        var mapped = ErrorMapper.Map(ex, plan.NodeAddress);
        Assert.Equal(errorId, mapped.ErrorId);
        Assert.Equal(ModuleErrorCategory.AuthenticationError, mapped.Category);
        seen.Walk(mapped);
        seen.Add($"{mapped.ErrorId},IscsiModule.Commands.ConnectIscsiTargetCommand"); // FullyQualifiedErrorId
    }

    private sealed class ListProgress : IProgress<TransferProgress>
    {
        public List<TransferProgress> Reports { get; } = [];
        public void Report(TransferProgress value) { lock (Reports) Reports.Add(value); }
    }
}
