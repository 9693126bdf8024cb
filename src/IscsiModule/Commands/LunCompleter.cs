using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Iscsi.Scsi;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Tab completion of -Lun: the LUNs the target of the session on the command line reports (from the last
/// REPORT LUNS the module saw, or a REPORT LUNS bounded by <see cref="AskTimeout"/>).</summary>
public sealed class LunCompleter : IArgumentCompleter
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = SessionOf(fakeBoundParameters);
        if (session is null) return [];
        var luns = session.KnownLuns ?? AskLuns(session);
        return luns is null ? [] : CompletionCandidates.Luns(luns, wordToComplete, session.NodeAddress).Select(Completions.ToResult);
    }

    private static IscsiSessionInfo? SessionOf(IDictionary bound)
    {
        object? given = bound["Session"] ?? bound["SessionIdentifier"];
        try
        {
            return new SessionTransformationAttribute().Transform(null!, given) as IscsiSessionInfo;
        }
        catch (ArgumentTransformationMetadataException)
        {
            return null; // not a session of this process: nothing to offer
        }
    }

    private static IReadOnlyList<int>? AskLuns(IscsiSessionInfo session)
    {
        if (!session.IsConnected) return null;
        try
        {
            using var timeout = new CancellationTokenSource(AskTimeout);
            var luns = session.Session.ReportLunsAsync(timeout.Token).GetAwaiter().GetResult();
            session.KnownLuns = luns;
            return luns;
        }
        catch (Exception ex) when (ex is Iscsi.IscsiException or OperationCanceledException)
        {
            return null; // completion never fails loudly
        }
    }
}
