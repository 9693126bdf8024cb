using System.Management.Automation;
using Iscsi;
using Iscsi.Scsi;
using Iscsi.Session;
using IscsiModule.Logic;

namespace IscsiModule.Commands;

/// <summary>
/// What every cmdlet of the module shares: the session cache, running an async engine call on the pipeline
/// thread with a token that StopProcessing (Ctrl+C) cancels, and turning exceptions into ErrorRecords through
/// <see cref="ErrorMapper"/>. No decision lives here; the Logic classes make them.
/// </summary>
public abstract class IscsiCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PipelineThreadPump _pump = new();
    private int _progressId;

    private protected static SessionCache Cache => SessionCache.Shared;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs the call to completion; a stop (Ctrl+C) ends the pipeline, any other failure is thrown as is.
    /// A transfer cut short by the stop says on the host what it kept: the pipeline accepts no more records then.</summary>
    private protected T RunSync<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return _pump.Run(call, _stop.Token);
        }
        catch (Exception ex) when (_stop.IsCancellationRequested && ex is OperationCanceledException or BlockTransferStoppedException)
        {
            if (ex is BlockTransferStoppedException stopped) Host?.UI?.WriteWarningLine(TextSafety.Printable(stopped.Message));
            throw new PipelineStoppedException();
        }
    }

    private protected void RunSync(Func<CancellationToken, Task> call)
        => RunSync<bool>(async ct => { await call(ct).ConfigureAwait(false); return true; });

    /// <summary>Runs the call; on failure writes a non-terminating error (the item failed, the pipeline goes on)
    /// and returns false.</summary>
    private protected bool TryRun<T>(Func<CancellationToken, Task<T>> call, object? targetObject, out T result)
    {
        try
        {
            result = RunSync(call);
            return true;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteMappedError(ex, targetObject);
            result = default!;
            return false;
        }
    }

    /// <summary><see cref="TryRun{T}"/> on one session, telling the user (verbose stream) what the session did on its
    /// own meanwhile: a lost and recovered connection (a long copy across a target restart says why it paused), a
    /// power-on/reset unit attention absorbed by sending the command again.</summary>
    private protected bool TryRunOn<T>(IscsiSessionInfo session, Func<CancellationToken, Task<T>> call, object? targetObject, out T result)
    {
        var verbose = _pump.Progress<string>(text => WriteVerbose(TextSafety.Printable(text)));
        EventHandler<SessionStateChangedEventArgs> onChange = (_, e) => verbose.Report($"Session {session.SessionIdentifier}: {e.Message}");
        EventHandler<UnitAttentionEventArgs> onUnitAttention = (_, e) => verbose.Report($"Session {session.SessionIdentifier}: {e}.");
        session.Session.StateChanged += onChange;
        session.Session.UnitAttentionReceived += onUnitAttention;
        try
        {
            return TryRun(call, targetObject, out result);
        }
        finally
        {
            session.Session.StateChanged -= onChange;
            session.Session.UnitAttentionReceived -= onUnitAttention;
        }
    }

    /// <summary>Runs a synchronous piece of logic (validation, cache lookups) the same way.</summary>
    private protected bool TryDo<T>(Func<T> action, object? targetObject, out T result)
    {
        try
        {
            result = action();
            return true;
        }
        catch (Exception ex) when (ex is IscsiException or IOException or UnauthorizedAccessException)
        {
            WriteMappedError(ex, targetObject);
            result = default!;
            return false;
        }
    }

    private protected void WriteMappedError(Exception exception, object? targetObject)
        => WriteError(ToErrorRecord(ErrorMapper.Map(exception, targetObject)));

    private protected static ErrorRecord ToErrorRecord(MappedError error)
    {
        var category = Enum.TryParse<ErrorCategory>(error.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
        return new ErrorRecord(error.Exception, error.ErrorId, category, error.TargetObject)
        {
            ErrorDetails = new ErrorDetails(error.Message),
        };
    }

    /// <summary>The CHAP name and secret of a PSCredential. The secret leaves the SecureString only here, into the engine's credential.</summary>
    private protected static ChapCredential? ToChap(PSCredential? credential)
        => credential is null || credential == PSCredential.Empty
            ? null
            : new ChapCredential(credential.UserName, credential.GetNetworkCredential().Password);

    /// <summary>A Write-Progress bar for a block transfer; reports arrive from the engine and are shown on the pipeline thread.</summary>
    private protected TransferProgressBar NewTransferProgressBar(string activity)
    {
        var bar = new TransferProgressBar(this, ++_progressId, activity);
        bar.Reporter = _pump.Progress<TransferProgress>(bar.Show);
        return bar;
    }

    private protected bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

    /// <summary>-WhatIf is in effect (given, or $WhatIfPreference): nothing may go on the wire, even a command that
    /// changes nothing, since the caller cannot tell which commands do.</summary>
    private protected bool IsWhatIf
        => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
            ? given is SwitchParameter { IsPresent: true } or true
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
