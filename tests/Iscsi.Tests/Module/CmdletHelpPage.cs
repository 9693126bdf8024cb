using System.Text.RegularExpressions;

namespace Iscsi.Tests.Module;

/// <summary>A docs/cmdlets/&lt;Verb-Noun&gt;.md page in platyPS format, cut into what the tests compare.</summary>
internal sealed partial class CmdletHelpPage
{
    private CmdletHelpPage(string text) => Text = text;

    public string Text { get; }

    public static CmdletHelpPage Load(string path) => new(File.ReadAllText(path).Replace("\r\n", "\n"));

    public IReadOnlyList<string> Sections => SectionHeading().Matches(Text).Select(m => m.Groups[1].Value.Trim()).ToArray();

    public int ExampleCount => ExampleHeading().Matches(Text).Count;

    public string FrontMatter
    {
        get
        {
            var m = FrontMatterBlock().Match(Text);
            return m.Success ? m.Groups[1].Value : "";
        }
    }

    /// <summary>Parameter name → its yaml block, from the PARAMETERS section (CommonParameters left out).</summary>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get
        {
            int start = Text.IndexOf("\n## PARAMETERS", StringComparison.Ordinal);
            if (start < 0) return new Dictionary<string, string>();
            int end = Text.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
            string section = end < 0 ? Text[start..] : Text[start..end];
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match m in ParameterBlock().Matches(section))
                result[m.Groups[1].Value] = m.Groups[2].Value;
            return result;
        }
    }

    /// <summary>"Accept pipeline input:" of a yaml block, e.g. "True (ByValue, ByPropertyName)".</summary>
    public static string PipelineInput(string yaml)
    {
        var m = Regex.Match(yaml, @"(?m)^Accept pipeline input:\s*(.+?)\s*$");
        return m.Success ? m.Groups[1].Value : "";
    }

    [GeneratedRegex(@"(?m)^## (.+)$")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"(?m)^### Example \d+")]
    private static partial Regex ExampleHeading();

    [GeneratedRegex(@"\A---\n(.*?)\n---\n", RegexOptions.Singleline)]
    private static partial Regex FrontMatterBlock();

    [GeneratedRegex(@"(?m)^### -(\w+)\s*$.*?```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ParameterBlock();
}
