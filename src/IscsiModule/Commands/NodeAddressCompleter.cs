using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Tab completion of -NodeAddress from the targets of the cached sessions and of the last discoveries.</summary>
public sealed class NodeAddressCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => CompletionCandidates.NodeAddresses(SessionCache.Shared, wordToComplete).Select(Completions.ToResult);
}
