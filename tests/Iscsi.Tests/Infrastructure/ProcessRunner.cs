using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Runs a helper process with a hard timeout and both output streams captured.</summary>
public static partial class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="fileName"/> to completion. A process still running after
    /// <paramref name="timeout"/> is killed with its children and reported as an <see cref="ExternalToolException"/>;
    /// a non-zero exit code is NOT an error here (callers decide, e.g. when a refusal is the expected outcome).</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        var commandLine = MaskSecrets(string.Join(' ', new[] { fileName }.Concat(arguments.Select(QuoteForDisplay))));
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException($"cannot start `{commandLine}`: {e.Message}", inner: e);
        }

        // Nobody answers prompts in a test run; a closed stdin makes a tool that asks fail instead of hang.
        process.StandardInput.Close();
        var stdoutTask = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            var partial = new ProcessResult(commandLine, -1, await stdoutTask.ConfigureAwait(false), await stderrTask.ConfigureAwait(false));
            var why = cancellationToken.IsCancellationRequested ? "was cancelled" : $"did not finish within {limit.TotalSeconds:0.#} s";
            throw new ExternalToolException($"`{commandLine}` {why} and was killed", partial);
        }

        return new ProcessResult(commandLine, process.ExitCode, await stdoutTask.ConfigureAwait(false), await stderrTask.ConfigureAwait(false));
    }

    /// <summary>Hides CHAP secrets in libiscsi URLs (<c>user%secret@</c>, <c>target_password=</c>) so that
    /// failure messages can be pasted anywhere.</summary>
    public static string MaskSecrets(string text) =>
        TargetPasswordPattern().Replace(UrlSecretPattern().Replace(text, "%***@"), "target_password=***");

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(2000);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill: nothing left to stop.
        }
    }

    private static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && !argument.Any(char.IsWhiteSpace) ? argument : $"'{argument}'";

    [GeneratedRegex(@"%[^@/\s]*@")]
    private static partial Regex UrlSecretPattern();

    [GeneratedRegex(@"target_password=[^&\s]*")]
    private static partial Regex TargetPasswordPattern();
}
