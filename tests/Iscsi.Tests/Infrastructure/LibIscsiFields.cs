namespace Iscsi.Tests.Infrastructure;

/// <summary>"Field name:value" lines printed by a libiscsi utility, in order. Names can repeat
/// (iscsi-inq prints one "Version Descriptor" per descriptor, one "Designator" per designator), so the
/// indexer gives the first value and <see cref="All"/> every value. Values are kept exactly as printed,
/// trailing blanks included (INQUIRY's Vendor is "IET     ": the field is 8 bytes, space-padded).</summary>
public sealed class LibIscsiFields
{
    public LibIscsiFields(IReadOnlyList<KeyValuePair<string, string>> fields) => Fields = fields;

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>The first value printed for <paramref name="name"/>; a KeyNotFoundException listing the names otherwise.</summary>
    public string this[string name] =>
        TryGet(name, out var value)
            ? value
            : throw new KeyNotFoundException($"libiscsi printed no '{name}' field (fields: {string.Join(", ", Fields.Select(f => f.Key).Distinct())})");

    public bool TryGet(string name, out string value)
    {
        foreach (var field in Fields)
        {
            if (field.Key == name)
            {
                value = field.Value;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    public IReadOnlyList<string> All(string name) => Fields.Where(f => f.Key == name).Select(f => f.Value).ToArray();

    /// <summary>First value per name, for dictionary-style comparisons.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            dictionary.TryAdd(field.Key, field.Value);
        }

        return dictionary;
    }
}
