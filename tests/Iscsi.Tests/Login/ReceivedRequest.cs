using System.Text;
using Iscsi.Login;

namespace Iscsi.Tests.Login;

/// <summary>A request as the fake target saw it: the step, and its text split by hand (not by TextKeyValues, so
/// that the tests do not check our parser with itself).</summary>
internal sealed record ReceivedRequest(LoginRequestStep Step, List<KeyValuePair<string, string>> Pairs)
{
    public string? this[string key] => Pairs.FirstOrDefault(p => p.Key == key).Value;
    public IEnumerable<string> Keys => Pairs.Select(p => p.Key);
    public string Text => Encoding.UTF8.GetString(Step.Data);
}
