using System.Collections;
using System.Reflection;

namespace Iscsi.Tests.Fuzz;

/// <summary>Reads every public property of a decoded result, recursively, and calls ToString: decoders that
/// compute fields lazily (mode pages, sense-key specific fields, descriptors) get their crash here, not in a
/// user's script that prints the object.</summary>
internal static class ObjectWalker
{
    private const int MaxDepth = 4;
    private const int MaxItems = 64;

    public static void Touch(object? value) => Touch(value, 0);

    private static void Touch(object? value, int depth)
    {
        if (value is null || depth > MaxDepth) return;
        var type = value.GetType();
        _ = value.ToString();
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or DateTime or TimeSpan or Type) return;
        if (value is IEnumerable items and not ICollection<byte> and not byte[])
        {
            int n = 0;
            foreach (var item in items)
            {
                if (n++ >= MaxItems) break;
                Touch(item, depth + 1);
            }
        }
        if (type.Namespace?.StartsWith("Iscsi", StringComparison.Ordinal) != true) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
            Touch(propertyValue, depth + 1);
        }
    }
}
