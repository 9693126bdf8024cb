using System.Text.RegularExpressions;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Module;

/// <summary>The module's non-code files in the repository, and what the tests read from them.</summary>
internal static partial class ModuleFiles
{
    public static string ModuleDirectory => Path.Combine(RepositoryPaths.Root, "src", "IscsiModule");
    public static string Manifest => Path.Combine(ModuleDirectory, "IscsiModule.psd1");
    public static string FormatFile => Path.Combine(ModuleDirectory, "IscsiModule.format.ps1xml");
    public static string CmdletDocs => Path.Combine(RepositoryPaths.Root, "docs", "cmdlets");
    public static string PesterDirectory => Path.Combine(RepositoryPaths.Root, "tests", "Pester");

    /// <summary>The quoted names inside CmdletsToExport = @( ... ).</summary>
    public static IReadOnlyList<string> CmdletsToExport()
    {
        string text = File.ReadAllText(Manifest);
        var block = ExportBlock().Match(text);
        if (!block.Success) throw new InvalidOperationException("CmdletsToExport = @( ... ) not found in the manifest");
        return Quoted().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).ToArray();
    }

    /// <summary>The value of a simple "Key = 'value'" line of the manifest.</summary>
    public static string? ManifestValue(string key)
    {
        var match = Regex.Match(File.ReadAllText(Manifest), $@"(?m)^\s*{Regex.Escape(key)}\s*=\s*'([^']*)'");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex ExportBlock();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();

    /// <summary>SMA's reference assembly from the NuGet cache (the module compiles against it).</summary>
    public static string SmaReferenceAssembly
    {
        get
        {
            string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, "powershellstandard.library", "5.1.0-preview-06", "lib", "netstandard2.0", "System.Management.Automation.dll");
        }
    }
}
