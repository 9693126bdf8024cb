using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>
/// Lets a session parameter take what a script may hold instead of the live object, and turns it into the cached
/// session with the same SessionIdentifier: a session or LUN that went through serialization (Import-Clixml,
/// Invoke-Command, a job, -Parallel's $using:), a LUN's nested session in the string form remoting gives it
/// ("&lt;id&gt; &lt;target&gt;"), or a SessionIdentifier string. Anything else is left for the parameter binder
/// to judge (so a byte[] piped to Write-IscsiBlock still binds to -Data).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SessionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null or IscsiSessionInfo:
                return value;
            // A list of sessions (Disconnect-IscsiTarget's -Session). Not a byte[] piped to Write-IscsiBlock's -Data,
            // which the binder offers here first: its bytes are no sessions, and walking a gigabyte would take seconds.
            case Array array when array.GetType().GetElementType() is { IsPrimitive: false }:
                var sessions = new object?[array.Length];
                for (int i = 0; i < sessions.Length; i++) sessions[i] = Transform(engineIntrinsics, array.GetValue(i));
                return sessions;
        }
        string? identifier = IdentifierOf(inputData);
        if (identifier is null) return inputData;
        return SessionCache.Shared.TryGet(identifier) ?? throw new ArgumentTransformationMetadataException(
            $"Session {identifier} is not in this process's session cache: it was made in another process, or it was " +
            "disconnected. Get-IscsiSession lists the sessions of this process; Connect-IscsiTarget makes one.");
    }

    /// <summary>The SessionIdentifier an object stands for, or null when it is not a session reference.</summary>
    private static string? IdentifierOf(object? input) => input switch
    {
        string text => SessionReference.IdentifierIn(text),
        PSObject pso when pso.BaseObject is string text => SessionReference.IdentifierIn(text),
        // A deserialized IscsiSessionInfo or IscsiLun: a property bag that kept SessionIdentifier.
        PSObject pso => pso.Properties["SessionIdentifier"]?.Value is { } id ? SessionReference.IdentifierIn(id.ToString()) : null,
        _ => null,
    };
}
