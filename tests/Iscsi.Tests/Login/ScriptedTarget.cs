using System.Text;
using Iscsi.Login;

namespace Iscsi.Tests.Login;

/// <summary>
/// A fake target played from a script: one function per expected Login Request, each producing the Login
/// Response the target sends back. Plain values only, no sockets.
/// </summary>
internal sealed class ScriptedTarget
{
    private readonly Queue<Func<ReceivedRequest, LoginResponseInfo>> _script;

    public ScriptedTarget(params Func<ReceivedRequest, LoginResponseInfo>[] script) => _script = new(script);

    public List<ReceivedRequest> Requests { get; } = new();

    /// <summary>Drives the machine until it completes or redirects (or throws).</summary>
    public LoginProgress Run(LoginStateMachine machine)
    {
        while (true)
        {
            LoginProgress progress = Step(machine);
            if (progress != LoginProgress.SendNext)
                return progress;
        }
    }

    /// <summary>One request/response exchange.</summary>
    public LoginProgress Step(LoginStateMachine machine)
    {
        LoginRequestStep step = machine.NextRequest();
        var received = new ReceivedRequest(step, Split(step.Data));
        Requests.Add(received);
        if (_script.Count == 0)
            throw new InvalidOperationException($"The script has no answer for request #{Requests.Count}: {received.Text}");
        return machine.HandleResponse(_script.Dequeue()(received));
    }

    public static List<KeyValuePair<string, string>> Split(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        if (text.Length > 0)
            Assert.EndsWith("\0", text); // every pair we send must end with a NUL
        return text.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => new KeyValuePair<string, string>(p[..p.IndexOf('=')], p[(p.IndexOf('=') + 1)..]))
            .ToList();
    }

    /// <summary>A success response carrying "key=value" strings, encoded by hand.</summary>
    public static LoginResponseInfo Reply(LoginStage current, bool transit, LoginStage next, params string[] pairs) =>
        new(0, 0, transit, false, current, next, 0, Encode(pairs));

    public static LoginResponseInfo Status(byte statusClass, byte statusDetail, params string[] pairs) =>
        new(statusClass, statusDetail, false, false, LoginStage.SecurityNegotiation, LoginStage.SecurityNegotiation, 0, Encode(pairs));

    public static byte[] Encode(params string[] pairs) =>
        pairs.Length == 0 ? [] : Encoding.UTF8.GetBytes(string.Join("\0", pairs) + "\0");

    public static LoginResponseInfo SecurityToOperational(params string[] pairs) =>
        Reply(LoginStage.SecurityNegotiation, true, LoginStage.OperationalNegotiation, pairs);

    public static LoginResponseInfo OperationalToFull(params string[] pairs) =>
        Reply(LoginStage.OperationalNegotiation, true, LoginStage.FullFeaturePhase, pairs);

    /// <summary>The answers tgt gives to our default offers.</summary>
    public static readonly string[] TypicalOperationalAnswers =
    [
        "HeaderDigest=None", "DataDigest=None", "MaxRecvDataSegmentLength=8192", "MaxConnections=1", "InitialR2T=Yes",
        "ImmediateData=Yes", "MaxBurstLength=262144", "FirstBurstLength=65536", "DefaultTime2Wait=2", "DefaultTime2Retain=0",
        "MaxOutstandingR2T=1", "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0",
    ];
}
