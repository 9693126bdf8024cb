namespace Iscsi.Tests.Infrastructure;

/// <summary>Whether the real parts the integration tests drive (tgtd, istgt, libiscsi's utilities) exist here, and
/// whether a missing part means "skip" (a developer's machine) or "fail" (CI, where .ci/run installs them).</summary>
public static class ToolAvailability
{
    /// <summary>The packages that bring the tools, named in every message so the fix is one command away.</summary>
    public const string InstallHint = "apt-get install tgt istgt libiscsi-bin (or run .ci/run)";

    private static readonly string[] TgtdTools = ["tgtd", "tgtadm", "bash"];
    private static readonly string[] IstgtTools = ["istgt", "bash"];
    private static readonly string[] LibIscsiToolNames = ["iscsi-ls", "iscsi-inq", "iscsi-readcapacity16"];

    /// <summary>True when the environment variable CI is "true" (or "1"), as set by the CI runner.</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } value &&
        (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    /// <summary>Why tgtd cannot be used here, or null when it can.</summary>
    public static string? TgtdMissingReason => MissingReason(TgtdTools) ?? NotRootReason();

    /// <summary>Why istgt cannot be used here, or null when it can. Unlike tgtd it needs no root: everything it
    /// opens is named by the config file istgt-target.sh writes into the test's own directory.</summary>
    public static string? IstgtMissingReason => MissingReason(IstgtTools);

    /// <summary>Why the given target cannot be used here, or null when it can.</summary>
    public static string? TargetMissingReason(TargetKind kind) => kind switch
    {
        TargetKind.Tgtd => TgtdMissingReason,
        TargetKind.Istgt => IstgtMissingReason,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown target kind"),
    };

    /// <summary>Why libiscsi's utilities cannot be used here, or null when they can.</summary>
    public static string? LibIscsiMissingReason => MissingReason(LibIscsiToolNames);

    /// <summary>The Skip text for a test needing tgtd (and optionally libiscsi): null when the test should run.
    /// On CI a missing tool never skips: the test runs and fails with the reason instead.</summary>
    public static string? SkipReason(bool needsLibIscsi) => SkipReason(TargetKind.Tgtd, needsLibIscsi);

    /// <summary>The Skip text for a test needing the given target (and optionally libiscsi); null when it should run.
    /// On CI a missing tool never skips.</summary>
    public static string? SkipReason(TargetKind kind, bool needsLibIscsi)
    {
        if (IsCi)
        {
            return null;
        }

        var reason = TargetMissingReason(kind) ?? (needsLibIscsi ? LibIscsiMissingReason : null);
        return reason is null ? null : $"{reason}; skipped locally ({InstallHint}). On CI (CI=true) this test fails instead.";
    }

    /// <summary>Full path of <paramref name="tool"/> on PATH (or the sbin directories tgt and istgt install to), or null.</summary>
    public static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        // tgtd and istgt live in /usr/sbin, which is not on every user's PATH.
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]);
        return directories.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);
    }

    private static string? MissingReason(IEnumerable<string> tools)
    {
        var missing = tools.Where(tool => FindOnPath(tool) is null).ToArray();
        return missing.Length == 0 ? null : $"not installed: {string.Join(", ", missing)}";
    }

    // tgtd creates its control socket under /var/run/tgtd, which only root may do.
    private static string? NotRootReason() =>
        OperatingSystem.IsLinux() && Environment.UserName != "root" && !CanWrite("/var/run/tgtd")
            ? $"tgtd needs root (it writes /var/run/tgtd) and this is user '{Environment.UserName}'"
            : null;

    private static bool CanWrite(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
