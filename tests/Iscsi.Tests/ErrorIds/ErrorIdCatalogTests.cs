using System.Text.RegularExpressions;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.ErrorIds;

/// <summary>docs/errors.md cannot drift from the code: every ErrorId the source raises is listed there, and every
/// ErrorId a Pester test expects is one the source raises.</summary>
public sealed partial class ErrorIdCatalogTests
{
    private static readonly string[] SourceDirectories = ["src/Iscsi", "src/IscsiCli", "src/IscsiModule"];

    // Ids built at run time from wire values: the doc lists them with a placeholder (LoginFailed.CCDD,
    // ScsiCheckCondition.<SenseKey>, ScsiStatus.<Status>, TaskManagementFailed.<Response>).
    private static readonly string[] ComposedPrefixes = ["LoginFailed.", "ScsiCheckCondition.", "ScsiStatus.", "TaskManagementFailed."];

    private static SortedDictionary<string, SortedSet<string>> SourceIds() => ErrorIdSourceScanner.Scan(RepositoryPaths.Root, SourceDirectories);

    [Fact]
    public void Every_error_id_in_the_source_is_documented()
    {
        var source = SourceIds();
        string doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "errors.md"));
        var documented = DocumentedId().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var missing = source.Where(kv => !documented.Contains(kv.Key))
            .Select(kv => $"{kv.Key} (raised in {string.Join(", ", kv.Value)})").ToList();
        Assert.True(missing.Count == 0, "docs/errors.md does not list: " + string.Join("; ", missing));
        foreach (var prefix in ComposedPrefixes)
            Assert.Contains(documented, d => d.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_documented_error_id_is_raised_somewhere()
    {
        var source = SourceIds();
        string doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "errors.md"));
        var tableIds = doc.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)).Where(cells => cells.Length > 3)
            .SelectMany(cells => DocumentedId().Matches(cells[2]).Select(m => m.Groups[1].Value))
            .Where(id => !ComposedPrefixes.Any(p => id.StartsWith(p, StringComparison.Ordinal)));
        var stale = tableIds.Where(id => !source.ContainsKey(id)).Distinct().ToList();
        Assert.True(stale.Count == 0, "docs/errors.md lists ErrorIds nothing raises: " + string.Join(", ", stale));
    }

    [Fact]
    public void Every_error_id_a_pester_test_expects_is_raised_somewhere()
    {
        var source = SourceIds();
        var expected = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests", "Pester"), "*.ps1")
            .SelectMany(f => PesterExpectation().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.NotEmpty(expected);
        var unknown = expected.Where(id => !source.ContainsKey(id) && !ComposedPrefixes.Any(p => id.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.True(unknown.Count == 0, "Pester expects ErrorIds the source never raises: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_scanner_finds_each_way_an_error_id_is_written()
    {
        const string code = """
            throw new IscsiArgumentException("FirstId", $"value {x} is bad");
            throw new IscsiProtocolException($"The target sent {a}, {b}.",
                "SecondId");
            state.Fail(new IscsiConnectionException("closed", errorId: "ThirdId", inner));
            public override string ErrorId => "FourthId";
            public const string MalformedErrorId = "FifthId";
            OperationCanceledException e => new("SixthId", Category.X, "Stopped.", null, e),
            throw new IscsiArgumentException("Not an id", "NotAnIdEither because of the space");
            """;
        Assert.Equal(["FirstId", "SecondId", "ThirdId", "SixthId", "FourthId", "FifthId"], ErrorIdSourceScanner.IdsIn(code, "X.cs"));
    }

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9<>]+)?)`")]
    private static partial Regex DocumentedId();

    [GeneratedRegex(@"FullyQualifiedErrorId\s*\|\s*Should\s+-Be(?:Like)?\s+'([A-Za-z0-9.]+?)\*?,")]
    private static partial Regex PesterExpectation();
}
