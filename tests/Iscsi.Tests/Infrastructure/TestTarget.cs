namespace Iscsi.Tests.Infrastructure;

/// <summary>A throwaway iSCSI target on 127.0.0.1 started by one of the scripts under tests/targets (standard
/// profile) in its own temp directory, stopped and deleted on dispose. Both scripts write the same target.env
/// keys, so everything but the script, the binary check and the target's known differences lives here.
/// Use a subclass through its collection (<see cref="TgtdCollection"/>, <see cref="IstgtCollection"/>) so that
/// one test run starts each target once.</summary>
/// <remarks>When the target cannot run here, InitializeAsync fails on CI (CI=true) and otherwise leaves the
/// target unstarted, so that the tests (skipped with the same reason) do not report a fixture error.</remarks>
public abstract class TestTarget : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60); // the scripts retry up to 10 ports
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private TargetEnvFile? _env;
    private bool _disposed;

    /// <summary>Which target implementation this is.</summary>
    public abstract TargetKind Kind { get; }

    /// <summary>The script under tests/targets that starts and stops it.</summary>
    protected abstract string Script { get; }

    /// <summary>What the target says in standard INQUIRY's T10 VENDOR IDENTIFICATION (trimmed).</summary>
    public abstract string VendorId { get; }

    /// <summary>The LUNs REPORT LUNS lists on <see cref="DiskIqn"/>, in ascending order.</summary>
    public abstract IReadOnlyList<int> DiskTargetLuns { get; }

    /// <summary>The LUNs REPORT LUNS lists on <see cref="ChapIqn"/> and <see cref="MutualIqn"/>.</summary>
    public IReadOnlyList<int> AuthTargetLuns => [0, 1];

    /// <summary>False when the target cannot be configured to negotiate InitialR2T=No (the result is an OR:
    /// then every write begins with an R2T whatever the initiator offers).</summary>
    public abstract bool AllowsInitialR2TNo { get; }

    /// <summary>False when the target answers some CHECK CONDITIONs (LBA out of range, write protected) with
    /// no sense data and no residual, although RFC 7143 section 11.4.7.2 says the data segment MUST carry sense data.</summary>
    public abstract bool SendsSenseWithEveryCheckCondition { get; }

    public string Name => Kind.ToString().ToLowerInvariant();

    public string Host => "127.0.0.1";
    public int Port => Env.RequireInt32("PORT");
    public int Pid => Env.RequireInt32("PID");

    /// <summary>Path.GetTempPath()/iscsimodule-tests-&lt;guid&gt;: backing files, logs, target.env.</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), $"iscsimodule-tests-{Guid.NewGuid():N}");

    /// <summary>No authentication; LUN 1 512-byte, LUN 2 large (tgtd: null-backed), LUN 3 4096-byte and LUN 4
    /// read-only (on istgt these two are on targets of their own: use <see cref="TargetLun.Iqn"/>).</summary>
    public string DiskIqn => Env.Require("DISK_IQN");

    /// <summary>One-way CHAP with <see cref="ChapUser"/>/<see cref="ChapSecret"/>.</summary>
    public string ChapIqn => Env.Require("CHAP_IQN");

    /// <summary>Mutual CHAP: the initiator logs in as <see cref="MutualUser"/>, the target answers as <see cref="MutualTargetUser"/>.</summary>
    public string MutualIqn => Env.Require("MUTUAL_IQN");

    public string ChapUser => Env.Require("CHAP_USER");
    public string ChapSecret => Env.Require("CHAP_SECRET");
    public string MutualUser => Env.Require("MUTUAL_USER");
    public string MutualSecret => Env.Require("MUTUAL_SECRET");

    /// <summary>The name the mutual target gives in its CHAP answer.</summary>
    public string MutualTargetUser => Env.Require("MUTUAL_TARGET_USER");

    /// <summary>The secret the mutual target answers the initiator's challenge with.</summary>
    public string MutualTargetSecret => Env.Require("MUTUAL_TARGET_SECRET");

    public TargetLun DiskLun1 => TargetLun.FromEnv(Env, "DISK_LUN1", DiskIqn, 1);
    public TargetLun DiskNullLun2 => TargetLun.FromEnv(Env, "DISK_LUN2", DiskIqn, 2);
    public TargetLun Disk4KLun3 => TargetLun.FromEnv(Env, "DISK_LUN3", DiskIqn, 3);
    public TargetLun DiskReadOnlyLun4 => TargetLun.FromEnv(Env, "DISK_LUN4", DiskIqn, 4);
    public TargetLun ChapLun1 => TargetLun.FromEnv(Env, "CHAP_LUN1", ChapIqn, 1);
    public TargetLun MutualLun1 => TargetLun.FromEnv(Env, "MUTUAL_LUN1", MutualIqn, 1);

    /// <summary>The four LUNs of the standard profile's unauthenticated disk(s), by their tgtd numbering 1-4.</summary>
    public TargetLun DiskLun(int number) => number switch
    {
        1 => DiskLun1,
        2 => DiskNullLun2,
        3 => Disk4KLun3,
        4 => DiskReadOnlyLun4,
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "the standard profile has disk LUNs 1-4"),
    };

    /// <summary>Every line of target.env, for keys without a typed property.</summary>
    public TargetEnvFile Env => _env ?? throw new InvalidOperationException(
        $"the {Name} test target is not running: {MissingReason ?? "InitializeAsync has not run"}");

    public bool IsRunning => _env is not null && !_disposed;

    /// <summary>Why this target cannot run here, or null when it can.</summary>
    public string? MissingReason => ToolAvailability.TargetMissingReason(Kind);

    /// <summary>libiscsi URL of the portal, for iscsi-ls.</summary>
    public string PortalUrl(string? user = null, string? secret = null) => LibIscsiUrl.Portal(Host, Port, user, secret);

    /// <summary>libiscsi URL of a LUN of the unauthenticated disk target.</summary>
    public string DiskUrl(int lun) => LibIscsiUrl.Lun(Host, Port, DiskIqn, lun);

    /// <summary>libiscsi URL of an unauthenticated LUN, on whichever target holds it.</summary>
    public string LunUrl(TargetLun lun) => LibIscsiUrl.Lun(Host, Port, lun.Iqn, lun.Number);

    /// <summary>libiscsi URL of a LUN of the CHAP target with the right (or the given) credential.</summary>
    public string ChapUrl(int lun, string? secret = null) => LibIscsiUrl.Lun(Host, Port, ChapIqn, lun, ChapUser, secret ?? ChapSecret);

    /// <summary>libiscsi URL of a LUN of the mutual CHAP target, asking the target to prove itself too.</summary>
    public string MutualUrl(int lun, string? targetSecret = null) => LibIscsiUrl.Lun(
        Host, Port, MutualIqn, lun, MutualUser, MutualSecret, MutualTargetUser, targetSecret ?? MutualTargetSecret);

    public async Task InitializeAsync()
    {
        if (MissingReason is { } reason)
        {
            if (ToolAvailability.IsCi)
            {
                throw new InvalidOperationException(
                    $"CI=true but the {Name} test target cannot run: {reason}. {ToolAvailability.InstallHint}");
            }

            return; // the tests skip themselves with the same reason.
        }

        Directory.CreateDirectory(WorkDirectory);
        var result = await ProcessRunner.RunAsync("bash", [Script, "start", WorkDirectory, "--profile", "standard"], StartTimeout)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            DeleteWorkDirectory();
            throw new ExternalToolException($"{Path.GetFileName(Script)} could not start the test target", result);
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
        GC.SuppressFinalize(this);
        if (_env is not null)
        {
            // Dispose cannot await; stopping takes milliseconds (tgtd) to a couple of seconds (istgt).
            var result = ProcessRunner.RunAsync("bash", [Script, "stop", WorkDirectory], StopTimeout).GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                // Do not delete the directory of a target that may still be serving it; leave the evidence.
                throw new ExternalToolException($"{Path.GetFileName(Script)} could not stop the test target in {WorkDirectory}", result);
            }
        }

        DeleteWorkDirectory();
    }

    public override string ToString() => Name;

    private void DeleteWorkDirectory()
    {
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }
}
