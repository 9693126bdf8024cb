namespace Iscsi.Login;

/// <summary>CHAP digest names as people type them ("sha256", "SHA-256", "sha3-256", "md5") and as lists
/// ("sha256,sha1"), for the command line and scripts.</summary>
public static class ChapAlgorithmNames
{
    public static ChapAlgorithm Parse(string name)
    {
        string key = (name ?? "").Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        return key switch
        {
            "MD5" => ChapAlgorithm.Md5,
            "SHA1" => ChapAlgorithm.Sha1,
            "SHA256" => ChapAlgorithm.Sha256,
            "SHA3256" => ChapAlgorithm.Sha3_256,
            _ => throw new IscsiArgumentException("ChapAlgorithmUnsupported",
                $"'{name}' is not a CHAP algorithm; use md5, sha1, sha256 or sha3-256."),
        };
    }

    /// <summary>A comma-separated list, strongest first as given; duplicates are dropped.</summary>
    public static IReadOnlyList<ChapAlgorithm> ParseList(string list)
    {
        var algorithms = (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse).Distinct().ToArray();
        if (algorithms.Length == 0)
            throw new IscsiArgumentException("ChapAlgorithmsEmpty", $"The CHAP algorithm list '{list}' names none; give at least one of md5, sha1, sha256, sha3-256.");
        return algorithms;
    }
}
