using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>Tab completion of -TargetPortalAddress from remembered portals, cached sessions and discovered targets.</summary>
public sealed class PortalAddressCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => CompletionCandidates.PortalAddresses(SessionCache.Shared, wordToComplete).Select(Completions.ToResult);
}
