using System.Text.RegularExpressions;

namespace IscsiModule.Logic;

/// <summary>PowerShell-style wildcards (* ? [abc]) for the Get- cmdlets' filters, without System.Management.Automation.</summary>
public sealed class NameFilter
{
    private readonly Regex? _regex;

    public NameFilter(IEnumerable<string>? patterns)
    {
        var list = patterns?.Where(p => !string.IsNullOrEmpty(p)).ToArray() ?? [];
        if (list.Length == 0) return;
        string alternatives = string.Join("|", list.Select(ToRegex));
        _regex = new Regex($"^(?:{alternatives})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>The patterns that contain no wildcard: names the caller expects to exist.</summary>
    public static IEnumerable<string> Literals(IEnumerable<string>? patterns)
        => patterns?.Where(p => !string.IsNullOrEmpty(p) && p.IndexOfAny(['*', '?', '[']) < 0) ?? [];

    /// <summary>True for everything when no pattern was given.</summary>
    public bool IsMatch(string? value) => _regex is null || (value is not null && _regex.IsMatch(value));

    private static string ToRegex(string pattern)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    int close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        sb.Append('[').Append(Regex.Escape(pattern[(i + 1)..close]).Replace("\\-", "-")).Append(']');
                        i = close;
                    }
                    else sb.Append("\\[");
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }
}
