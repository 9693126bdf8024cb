namespace IscsiModule.Logic;

/// <summary>Everything a cmdlet needs for an ErrorRecord: PowerShell adds ",&lt;cmdlet class&gt;" to ErrorId to make
/// the FullyQualifiedErrorId scripts match on.</summary>
public sealed record MappedError(string ErrorId, ModuleErrorCategory Category, string Message, object? TargetObject, Exception Exception);
