using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Tab completion of -SessionIdentifier from the session cache; the menu shows each session's target.</summary>
public sealed class SessionIdentifierCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => CompletionCandidates.SessionIdentifiers(SessionCache.Shared, wordToComplete).Select(Completions.ToResult);
}
