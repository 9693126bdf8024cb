namespace Iscsi.Tests.Infrastructure;

/// <summary>What a finished helper process left behind: enough to explain a failure without rerunning it.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>A multi-line description for assertion and exception messages.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode}{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";
}
