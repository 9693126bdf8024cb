namespace Iscsi.Tests.Module;

/// <summary>One [Parameter] attribute of a property (a parameter may carry one per parameter set).</summary>
internal sealed record ParameterAttributeData(string? ParameterSetName, bool Mandatory, int? Position,
    bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

internal sealed record CmdletParameterData(string Name, string TypeName, IReadOnlyList<ParameterAttributeData> Attributes,
    IReadOnlyList<string> OtherAttributes, IReadOnlyList<string>? ValidateRangeArgumentTypes = null)
{
    public bool ByValue => Attributes.Any(a => a.ValueFromPipeline);
    public bool ByPropertyName => Attributes.Any(a => a.ValueFromPipelineByPropertyName);
    public bool Mandatory => Attributes.Any(a => a.Mandatory);
}

/// <summary>A cmdlet class as seen in the module's metadata: [Cmdlet], [OutputType] and its parameters.</summary>
internal sealed record CmdletMetadata(string ClassName, string Verb, string Noun, bool SupportsShouldProcess,
    int ConfirmImpact, string? DefaultParameterSetName, IReadOnlyList<string> OutputTypes, IReadOnlyList<CmdletParameterData> Parameters)
{
    public const int ConfirmImpactNone = 0, ConfirmImpactLow = 1, ConfirmImpactMedium = 2, ConfirmImpactHigh = 3;

    public string Name => $"{Verb}-{Noun}";
    public CmdletParameterData Parameter(string name) => Parameters.Single(p => p.Name == name);
}
