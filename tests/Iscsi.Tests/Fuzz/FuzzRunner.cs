using Xunit.Sdk;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// Runs a fuzz target for <see cref="FuzzOptions.Iterations"/> iterations. Each iteration gets its own
/// <see cref="Random"/>, seeded from the base seed, the target's name and the iteration number, so a failure is
/// replayed by running the same test with the seed its message names (the iterations before it are skipped
/// over in a fraction of the time they took to fail).
/// </summary>
internal static class FuzzRunner
{
    private const int ShownInputBytes = 256;

    /// <summary>Feeds <paramref name="iterations"/> generated inputs to <paramref name="body"/>; any exception
    /// <paramref name="isDocumented"/> does not accept fails the test with the seed, the iteration and the input.</summary>
    public static void Run(string target, Func<Random, byte[]> generate, Action<byte[], Random> body,
        Func<Exception, bool> isDocumented, int? iterations = null)
    {
        int count = iterations ?? FuzzOptions.Iterations;
        for (int i = 0; i < count; i++)
        {
            var random = new Random(IterationSeed(target, i));
            byte[] input = generate(random);
            try
            {
                body(input, random);
            }
            catch (Exception ex) when (ex is not XunitException && isDocumented(ex))
            {
                // Refused as documented: that is a pass.
            }
            catch (Exception ex)
            {
                throw Failure(target, i, input, ex);
            }
        }
    }

    /// <summary>The async form, for targets that need I/O (the session end to end).</summary>
    public static async Task RunAsync(string target, int iterations, Func<Random, byte[]> generate,
        Func<byte[], Random, Task> body, Func<Exception, bool> isDocumented)
    {
        for (int i = 0; i < iterations; i++)
        {
            var random = new Random(IterationSeed(target, i));
            byte[] input = generate(random);
            try
            {
                await body(input, random);
            }
            catch (Exception ex) when (ex is not XunitException && isDocumented(ex))
            {
                // Refused as documented: that is a pass.
            }
            catch (Exception ex)
            {
                throw Failure(target, i, input, ex);
            }
        }
    }

    /// <summary>The documented failures of anything that parses what a target sent.</summary>
    public static bool IsProtocolError(Exception ex) =>
        ex is IscsiProtocolException or IscsiLoginException or IscsiAuthenticationException;

    public static int IterationSeed(string target, int iteration)
    {
        // FNV-1a over the name: string.GetHashCode is randomised per process, which would make replay impossible.
        uint hash = 2166136261;
        foreach (char c in target) hash = (hash ^ c) * 16777619;
        return Mix(FuzzOptions.Seed, hash, iteration);
    }

    private static int Mix(int seed, uint name, int iteration)
    {
        ulong x = (uint)seed | ((ulong)name << 32);
        x ^= (ulong)(uint)iteration * 0x9E3779B97F4A7C15UL;
        x ^= x >> 33; x *= 0xFF51AFD7ED558CCDUL; x ^= x >> 33; x *= 0xC4CEB9FE1A85EC53UL; x ^= x >> 33;
        return (int)x;
    }

    private static XunitException Failure(string target, int iteration, byte[] input, Exception ex)
    {
        string shown = Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, ShownInputBytes)));
        return new XunitException(
            $"Fuzz target '{target}' failed at iteration {iteration} ({FuzzOptions.SeedVariable}={FuzzOptions.Seed}, "
            + $"iteration seed {IterationSeed(target, iteration)}; replay: {FuzzOptions.SeedVariable}={FuzzOptions.Seed} "
            + $"{FuzzOptions.IterationsVariable}={iteration + 1} dotnet test --filter Category=Fuzz).\n"
            + $"Input ({input.Length} bytes{(input.Length > ShownInputBytes ? $", first {ShownInputBytes} shown" : "")}): {shown}\n"
            + $"{ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
    }
}
