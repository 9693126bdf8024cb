using System.Collections;
using System.Reflection;

namespace Iscsi.Tests.Module;

/// <summary>Everything an object shows a user as text: ToString and every public property value, recursively (with
/// cycles cut), the way PowerShell's formatter or ConvertTo-Json would walk it.</summary>
internal sealed class TextCollector
{
    private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);

    public List<string> Texts { get; } = [];

    public void Add(string? text)
    {
        if (text is not null) Texts.Add(text);
    }

    public void Walk(object? value, int depth = 5)
    {
        if (value is null) return;
        if (value is string s) { Texts.Add(s); return; }
        Type type = value.GetType();
        if (type.IsPrimitive || value is decimal or Enum or DateTime or DateTimeOffset or TimeSpan or Guid) { Texts.Add(value.ToString() ?? ""); return; }
        if (!type.IsValueType && !_visited.Add(value)) return;
        Texts.Add(value.ToString() ?? "");
        if (value is Exception e) Texts.Add(e.ToString());
        if (depth == 0 || value is Delegate or Type or MemberInfo or Assembly or Task or CancellationToken or WaitHandle) return;
        if (value is byte[] or Memory<byte> or ReadOnlyMemory<byte>) return; // block data, not text
        if (value is IEnumerable items)
        {
            int n = 0;
            foreach (var item in items)
                if (n++ < 1000) Walk(item, depth - 1);
            return;
        }
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0) continue;
            object? v;
            try { v = p.GetValue(value); } catch (TargetInvocationException) { continue; }
            Walk(v, depth - 1);
        }
    }
}
