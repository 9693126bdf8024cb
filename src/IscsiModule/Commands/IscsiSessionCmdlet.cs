using System.Management.Automation;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>
/// A cmdlet that works on one cached session: -Session (a session object, from the pipeline or by the Session
/// property of a LUN, or what serialization made of either) or -SessionIdentifier. The parameters are declared
/// once here; <see cref="TryResolveSession"/> hands the cmdlet the connected session.
/// </summary>
public abstract class IscsiSessionCmdlet : IscsiCmdlet
{
    protected const string SessionSet = "Session";
    protected const string IdSet = "SessionIdentifier";

    /// <summary>Virtual so that a cmdlet whose session is its only natural argument can make it positional.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionTransformation]
    public virtual IscsiSessionInfo? Session { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(SessionIdentifierCompleter))]
    public string? SessionIdentifier { get; set; }

    /// <summary>The session given, checked to be usable (a reconnecting one is: its commands wait); otherwise the
    /// error is written (SessionNotFound, SessionClosed) and the result is false.</summary>
    private protected bool TryResolveSession(out IscsiSessionInfo session)
        => TryDo(() => SessionResolver.ResolveOne(Cache, Session, SessionIdentifier), (object?)Session ?? SessionIdentifier, out session);
}
