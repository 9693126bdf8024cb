namespace Iscsi.Tests.Infrastructure;

/// <summary>Locates files of the repository from a test run, wherever the test assembly was built to.</summary>
public static class RepositoryPaths
{
    private const string SolutionFileName = "IscsiModule.slnx";

    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The directory holding IscsiModule.slnx.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>tests/targets/tgt-target.sh, the one way the project starts a tgtd test target.</summary>
    public static string TgtTargetScript => Path.Combine(Root, "tests", "targets", "tgt-target.sh");

    /// <summary>tests/targets/istgt-target.sh, its twin for istgt (same target.env keys).</summary>
    public static string IstgtTargetScript => Path.Combine(Root, "tests", "targets", "istgt-target.sh");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"no {SolutionFileName} found above {AppContext.BaseDirectory}: run the tests from a checkout of the repository");
    }
}
