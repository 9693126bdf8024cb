using System.Diagnostics;
using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Cli;

/// <summary>Runs the built `iscsi` command (IscsiCli.dll beside the tests) as a real process.</summary>
internal static class IscsiCommand
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "IscsiCli.dll");

    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"iscsi {string.Join(' ', arguments)} did not finish within 60 s");
        }
        return new ProcessResult("iscsi " + string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }

    public static Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);
}
