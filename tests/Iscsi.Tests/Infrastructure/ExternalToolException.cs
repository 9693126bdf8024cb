namespace Iscsi.Tests.Infrastructure;

/// <summary>An external tool (tgt-target.sh, a libiscsi utility) failed, timed out or printed something
/// we could not parse. The message carries the command line (secrets masked), exit code, stdout and stderr.</summary>
public sealed class ExternalToolException : Exception
{
    public ExternalToolException(string message, ProcessResult? result = null, Exception? inner = null)
        : base(result is null ? message : message + Environment.NewLine + result.Describe(), inner)
        => Result = result;

    public ProcessResult? Result { get; }
}
