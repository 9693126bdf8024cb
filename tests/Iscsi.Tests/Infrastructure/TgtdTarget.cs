namespace Iscsi.Tests.Infrastructure;

/// <summary>A throwaway tgtd on 127.0.0.1 started through tests/targets/tgt-target.sh (standard profile) in
/// its own temp directory, stopped and deleted on dispose. Use it through the "tgtd" collection so one
/// test run shares one target; parallel test runs each get their own port and control port.</summary>
/// <remarks>When tgtd is not usable here, InitializeAsync fails on CI (CI=true) and otherwise leaves the
/// target unstarted, so that the [RequiresTgtdFact] tests (skipped) do not report a fixture error.</remarks>
public sealed class TgtdTarget : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60); // the script retries up to 10 ports
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private TargetEnvFile? _env;
    private bool _disposed;

    public string Host => "127.0.0.1";
    public int Port => Env.RequireInt32("PORT");
    public int ControlPort => Env.RequireInt32("CONTROL_PORT");
    public int Pid => Env.RequireInt32("PID");

    /// <summary>Path.GetTempPath()/iscsimodule-tests-&lt;guid&gt;: backing files, logs, target.env.</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), $"iscsimodule-tests-{Guid.NewGuid():N}");

    /// <summary>No authentication; LUN 1 512-byte, 2 null, 3 4096-byte, 4 read-only.</summary>
    public string DiskIqn => Env.Require("DISK_IQN");

    /// <summary>One-way CHAP with <see cref="ChapUser"/>/<see cref="ChapSecret"/>.</summary>
    public string ChapIqn => Env.Require("CHAP_IQN");

    /// <summary>Mutual CHAP: the initiator logs in as <see cref="MutualUser"/>, the target answers as <see cref="MutualTargetUser"/>.</summary>
    public string MutualIqn => Env.Require("MUTUAL_IQN");

    public string ChapUser => Env.Require("CHAP_USER");
    public string ChapSecret => Env.Require("CHAP_SECRET");
    public string MutualUser => Env.Require("MUTUAL_USER");
    public string MutualSecret => Env.Require("MUTUAL_SECRET");

    /// <summary>The name the mutual target gives in its CHAP answer (tgtd's --outgoing account).</summary>
    public string MutualTargetUser => Env.Require("MUTUAL_TARGET_USER");

    /// <summary>The secret the mutual target answers the initiator's challenge with.</summary>
    public string MutualTargetSecret => Env.Require("MUTUAL_TARGET_SECRET");

    public TgtdLun DiskLun1 => TgtdLun.FromEnv(Env, "DISK_LUN1", DiskIqn, 1);
    public TgtdLun DiskNullLun2 => TgtdLun.FromEnv(Env, "DISK_LUN2", DiskIqn, 2);
    public TgtdLun Disk4KLun3 => TgtdLun.FromEnv(Env, "DISK_LUN3", DiskIqn, 3);
    public TgtdLun DiskReadOnlyLun4 => TgtdLun.FromEnv(Env, "DISK_LUN4", DiskIqn, 4);
    public TgtdLun ChapLun1 => TgtdLun.FromEnv(Env, "CHAP_LUN1", ChapIqn, 1);
    public TgtdLun MutualLun1 => TgtdLun.FromEnv(Env, "MUTUAL_LUN1", MutualIqn, 1);

    /// <summary>Every line of target.env, for keys without a typed property.</summary>
    public TargetEnvFile Env => _env ?? throw new InvalidOperationException(
        $"the tgtd test target is not running: {ToolAvailability.TgtdMissingReason ?? "InitializeAsync has not run"}");

    public bool IsRunning => _env is not null && !_disposed;

    /// <summary>libiscsi URL of the portal, for iscsi-ls.</summary>
    public string PortalUrl(string? user = null, string? secret = null) => LibIscsiUrl.Portal(Host, Port, user, secret);

    /// <summary>libiscsi URL of a LUN of the unauthenticated disk target.</summary>
    public string DiskUrl(int lun) => LibIscsiUrl.Lun(Host, Port, DiskIqn, lun);

    /// <summary>libiscsi URL of a LUN of the CHAP target with the right (or the given) credential.</summary>
    public string ChapUrl(int lun, string? secret = null) => LibIscsiUrl.Lun(Host, Port, ChapIqn, lun, ChapUser, secret ?? ChapSecret);

    /// <summary>libiscsi URL of a LUN of the mutual CHAP target, asking the target to prove itself too.</summary>
    public string MutualUrl(int lun, string? targetSecret = null) => LibIscsiUrl.Lun(
        Host, Port, MutualIqn, lun, MutualUser, MutualSecret, MutualTargetUser, targetSecret ?? MutualTargetSecret);

    public async Task InitializeAsync()
    {
        if (ToolAvailability.TgtdMissingReason is { } reason)
        {
            if (ToolAvailability.IsCi)
            {
                throw new InvalidOperationException(
                    $"CI=true but the tgtd test target cannot run: {reason}. {ToolAvailability.InstallHint}");
            }

            return; // [RequiresTgtdFact] tests skip themselves with the same reason.
        }

        Directory.CreateDirectory(WorkDirectory);
        var result = await ProcessRunner.RunAsync(
            "bash", [RepositoryPaths.TgtTargetScript, "start", WorkDirectory, "--profile", "standard"], StartTimeout)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            DeleteWorkDirectory();
            throw new ExternalToolException("tgt-target.sh could not start the test target", result);
        }

        _env = TargetEnvFile.Parse(await File.ReadAllTextAsync(Path.Combine(WorkDirectory, "target.env")).ConfigureAwait(false));
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_env is not null)
        {
            // Dispose cannot await; stopping is one SIGKILL and takes milliseconds.
            var result = ProcessRunner.RunAsync("bash", [RepositoryPaths.TgtTargetScript, "stop", WorkDirectory], StopTimeout)
                .GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                // Do not delete the directory of a tgtd that may still be serving it; leave the evidence.
                throw new ExternalToolException($"tgt-target.sh could not stop the test target in {WorkDirectory}", result);
            }
        }

        DeleteWorkDirectory();
    }

    private void DeleteWorkDirectory()
    {
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }
}
