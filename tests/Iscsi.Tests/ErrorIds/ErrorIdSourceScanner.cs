using System.Text;
using System.Text.RegularExpressions;

namespace Iscsi.Tests.ErrorIds;

/// <summary>
/// Finds the ErrorIds the source can raise without compiling it: a plain "PascalCase" string literal given as a
/// whole argument to an exception constructor (or a target-typed <c>new(...)</c>), an <c>ErrorId =&gt; "X"</c>
/// property, an <c>...ErrorId = "X"</c> constant, and the <c>=&gt; "X"</c> arms of the CLI's ErrorId switch.
/// Message strings never match: they are interpolated or hold spaces.
/// </summary>
internal static partial class ErrorIdSourceScanner
{
    /// <summary>ErrorId → the source files (relative to <paramref name="root"/>) that raise it.</summary>
    public static SortedDictionary<string, SortedSet<string>> Scan(string root, params string[] directories)
    {
        var found = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, directory), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
                string relative = Path.GetRelativePath(root, file);
                foreach (var id in IdsIn(File.ReadAllText(file), Path.GetFileName(file)))
                {
                    if (!found.TryGetValue(id, out var files)) found[id] = files = new SortedSet<string>(StringComparer.Ordinal);
                    files.Add(relative);
                }
            }
        }
        return found;
    }

    public static IEnumerable<string> IdsIn(string source, string fileName)
    {
        foreach (Match call in ConstructorCall().Matches(source))
            foreach (var argument in Arguments(source, call.Index + call.Length))
                if (IdLiteral().Match(argument) is { Success: true } id)
                    yield return id.Groups[1].Value;
        foreach (Match m in ErrorIdMember().Matches(source))
            yield return m.Groups[1].Value;
        if (fileName == "ExitCodes.cs")
            foreach (Match m in SwitchArm().Matches(source))
                yield return m.Groups[1].Value;
    }

    /// <summary>The top-level arguments of the call whose '(' ends just before <paramref name="start"/>.</summary>
    private static List<string> Arguments(string source, int start)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        int depth = 1;
        bool inString = false;
        for (int i = start; i < source.Length && depth > 0; i++)
        {
            char c = source[i];
            if (inString)
            {
                current.Append(c);
                if (c == '\\' && i + 1 < source.Length) current.Append(source[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; current.Append(c); break;
                case '(' or '[' or '{': depth++; current.Append(c); break;
                case ')' or ']' or '}':
                    if (--depth > 0) current.Append(c);
                    break;
                case ',' when depth == 1: arguments.Add(current.ToString().Trim()); current.Clear(); break;
                default: current.Append(c); break;
            }
        }
        arguments.Add(current.ToString().Trim());
        return arguments;
    }

    [GeneratedRegex(@"\b(?:\w*Exception|new)\s*\(")]
    private static partial Regex ConstructorCall();

    [GeneratedRegex(@"^(?:errorId:\s*)?""([A-Z][A-Za-z0-9]+)""$")]
    private static partial Regex IdLiteral();

    [GeneratedRegex(@"ErrorId\s*(?:=>|=)\s*""([A-Za-z0-9]+)""")]
    private static partial Regex ErrorIdMember();

    [GeneratedRegex(@"=>\s*""([A-Z][A-Za-z0-9]+)""\s*,")]
    private static partial Regex SwitchArm();
}
