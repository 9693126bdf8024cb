using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Iscsi.Tests.Module;

/// <summary>
/// Reads the module's cmdlets from IscsiModule.dll with System.Reflection.Metadata, never loading the assembly's
/// types: they derive from PSCmdlet, and System.Management.Automation (a reference assembly here) cannot be loaded
/// outside PowerShell.
/// </summary>
internal static class CmdletMetadataReader
{
    private const string CmdletAttribute = "System.Management.Automation.CmdletAttribute";
    private const string OutputTypeAttribute = "System.Management.Automation.OutputTypeAttribute";
    private const string ParameterAttribute = "System.Management.Automation.ParameterAttribute";
    private const string ValidateRangeAttribute = "System.Management.Automation.ValidateRangeAttribute";

    public static string ModuleAssemblyPath => typeof(IscsiModule.Logic.SessionCache).Assembly.Location;

    private static readonly Lazy<IReadOnlyList<CmdletMetadata>> All = new(() => Read(ModuleAssemblyPath));

    public static IReadOnlyList<CmdletMetadata> Cmdlets => All.Value;

    public static IReadOnlyList<CmdletMetadata> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var result = new List<CmdletMetadata>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            CustomAttributeValue<string>? cmdlet = null;
            var outputTypes = new List<string>();
            foreach (var attributeHandle in type.GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(attributeHandle);
                string name = MetadataNames.AttributeTypeName(reader, attribute);
                if (name == CmdletAttribute) cmdlet = attribute.DecodeValue(StringTypeProvider.Instance);
                else if (name == OutputTypeAttribute)
                {
                    foreach (var arg in attribute.DecodeValue(StringTypeProvider.Instance).FixedArguments)
                    {
                        if (arg.Value is IEnumerable<CustomAttributeTypedArgument<string>> types)
                            outputTypes.AddRange(types.Select(t => (string)t.Value!));
                        else if (arg.Value is string single) outputTypes.Add(single);
                    }
                }
            }
            if (cmdlet is not { } c) continue;
            result.Add(new CmdletMetadata(
                MetadataNames.FullName(reader, handle),
                (string)c.FixedArguments[0].Value!,
                (string)c.FixedArguments[1].Value!,
                Named(c, "SupportsShouldProcess") as bool? ?? false,
                Named(c, "ConfirmImpact") as int? ?? CmdletMetadata.ConfirmImpactMedium,
                Named(c, "DefaultParameterSetName") as string,
                outputTypes,
                ReadInheritedParameters(reader, type)));
        }
        return result;
    }

    /// <summary>The type's parameters and those of its base classes in the module (IscsiSessionCmdlet declares -Session
    /// once); a parameter a class overrides is taken from the class, as PowerShell does.</summary>
    private static List<CmdletParameterData> ReadInheritedParameters(MetadataReader reader, TypeDefinition type)
    {
        var parameters = ReadParameters(reader, type);
        var baseHandle = type.BaseType;
        while (baseHandle.Kind == HandleKind.TypeDefinition)
        {
            var baseType = reader.GetTypeDefinition((TypeDefinitionHandle)baseHandle);
            foreach (var inherited in ReadParameters(reader, baseType))
            {
                if (!parameters.Any(p => p.Name == inherited.Name)) parameters.Add(inherited);
            }
            baseHandle = baseType.BaseType;
        }
        return parameters;
    }

    private static List<CmdletParameterData> ReadParameters(MetadataReader reader, TypeDefinition type)
    {
        var parameters = new List<CmdletParameterData>();
        foreach (var propertyHandle in type.GetProperties())
        {
            var property = reader.GetPropertyDefinition(propertyHandle);
            var attributes = new List<ParameterAttributeData>();
            var others = new List<string>();
            List<string>? rangeTypes = null;
            foreach (var attributeHandle in property.GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(attributeHandle);
                string name = MetadataNames.AttributeTypeName(reader, attribute);
                if (name == ValidateRangeAttribute)
                    rangeTypes = attribute.DecodeValue(StringTypeProvider.Instance).FixedArguments.Select(a => a.Type).ToList();
                if (name != ParameterAttribute)
                {
                    others.Add(name);
                    continue;
                }
                var value = attribute.DecodeValue(StringTypeProvider.Instance);
                attributes.Add(new ParameterAttributeData(
                    Named(value, "ParameterSetName") as string,
                    Named(value, "Mandatory") as bool? ?? false,
                    Named(value, "Position") as int?,
                    Named(value, "ValueFromPipeline") as bool? ?? false,
                    Named(value, "ValueFromPipelineByPropertyName") as bool? ?? false));
            }
            if (attributes.Count == 0) continue;
            string typeName = property.DecodeSignature(StringTypeProvider.Instance, null).ReturnType;
            parameters.Add(new CmdletParameterData(reader.GetString(property.Name), typeName, attributes, others, rangeTypes));
        }
        return parameters;
    }

    private static object? Named(CustomAttributeValue<string> value, string name)
        => value.NamedArguments.FirstOrDefault(a => a.Name == name).Value;

    /// <summary>Full names of the public types (nested ones with '+') of an assembly, read from its metadata.</summary>
    public static IReadOnlySet<string> PublicTypeNames(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var visibility = reader.GetTypeDefinition(handle).Attributes & TypeAttributes.VisibilityMask;
            if (visibility is TypeAttributes.Public or TypeAttributes.NestedPublic)
                names.Add(MetadataNames.FullName(reader, handle));
        }
        return names;
    }

    /// <summary>The names of an enum's members (e.g. SMA's ErrorCategory), read from metadata.</summary>
    public static IReadOnlySet<string> EnumMemberNames(string assemblyPath, string enumFullName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.TypeDefinitions)
        {
            if (MetadataNames.FullName(reader, handle) != enumFullName) continue;
            return reader.GetTypeDefinition(handle).GetFields()
                .Select(f => reader.GetFieldDefinition(f))
                .Where(f => (f.Attributes & FieldAttributes.Static) != 0)
                .Select(f => reader.GetString(f.Name))
                .ToHashSet(StringComparer.Ordinal);
        }
        throw new InvalidOperationException($"{enumFullName} is not defined in {assemblyPath}");
    }
}
