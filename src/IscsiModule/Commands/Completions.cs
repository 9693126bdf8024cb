using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Turns the module's completion candidates into PowerShell's results.</summary>
internal static class Completions
{
    public static CompletionResult ToResult(CompletionCandidate candidate)
        => new(Quoted(candidate.Text), candidate.ListItem, CompletionResultType.ParameterValue, candidate.ToolTip);

    // IQNs carry ':' and '.', which need no quotes; a name with a space or a quote would.
    private static string Quoted(string text)
        => text.IndexOfAny([' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '#', '&', '|', ',']) < 0 ? text : $"'{text.Replace("'", "''")}'";
}
