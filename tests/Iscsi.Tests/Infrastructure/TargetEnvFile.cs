namespace Iscsi.Tests.Infrastructure;

/// <summary>The KEY=VALUE lines tgt-target.sh prints and writes to &lt;workdir&gt;/target.env.</summary>
public sealed class TargetEnvFile
{
    private readonly IReadOnlyDictionary<string, string> _values;

    private TargetEnvFile(IReadOnlyDictionary<string, string> values) => _values = values;

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Parses KEY=VALUE lines; blank lines and # comments are ignored, a later key overrides an earlier one.
    /// Anything else is a FormatException naming the line, because a half-read env file would mislead every test.</summary>
    public static TargetEnvFile Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"target.env line {lineNumber} is not KEY=VALUE: '{line}'");
            }

            values[line[..equals]] = line[(equals + 1)..];
        }

        return new TargetEnvFile(values);
    }

    public string? Find(string key) => _values.GetValueOrDefault(key);

    public string Require(string key) =>
        _values.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"target.env has no {key}= line (keys: {string.Join(", ", _values.Keys)})");

    public int RequireInt32(string key) =>
        int.TryParse(Require(key), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"target.env {key}='{Require(key)}' is not a non-negative integer");

    public long RequireInt64(string key) =>
        long.TryParse(Require(key), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"target.env {key}='{Require(key)}' is not a non-negative integer");
}
