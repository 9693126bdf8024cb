using System.Globalization;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// How hard the fuzz tests push. The normal test run uses a small, fixed budget so that every run checks the
/// same inputs; a long run raises it: <c>ISCSI_FUZZ_ITERATIONS=200000 dotnet test --filter Category=Fuzz</c>.
/// <c>ISCSI_FUZZ_SEED</c> picks another base seed (a failure message names the one it used, so it can be replayed).
/// </summary>
internal static class FuzzOptions
{
    public const string IterationsVariable = "ISCSI_FUZZ_ITERATIONS";
    public const string SeedVariable = "ISCSI_FUZZ_SEED";
    public const int DefaultIterations = 2000;
    public const int DefaultSeed = 0x15C5_1F22;

    /// <summary>Iterations per fuzz target.</summary>
    public static int Iterations { get; } = Read(IterationsVariable, DefaultIterations);

    public static int Seed { get; } = Read(SeedVariable, DefaultSeed);

    /// <summary>For targets whose iterations cost a round trip (the session end to end): a fraction of
    /// <see cref="Iterations"/>, at least <paramref name="minimum"/>.</summary>
    public static int Scaled(int divisor, int minimum) => Math.Max(minimum, Iterations / divisor);

    private static int Read(string variable, int fallback)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        text = text.Trim();
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex ? int.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
                : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            return value;
        throw new InvalidOperationException($"{variable}='{text}' is not an integer (decimal or 0x hex).");
    }
}
