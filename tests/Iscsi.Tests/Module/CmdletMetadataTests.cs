using System.Xml.Linq;
using IscsiModule;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

/// <summary>Cmdlet metadata read from IscsiModule.dll without PowerShell: names, verbs, OutputType, ShouldProcess,
/// pipeline binding, manifest exports, help pages and format views.</summary>
public sealed class CmdletMetadataTests
{
    /// <summary>The cmdlets issue 3 asks for.</summary>
    private static readonly string[] ExpectedCmdlets =
    [
        "New-IscsiTargetPortal", "Get-IscsiTargetPortal", "Remove-IscsiTargetPortal", "Get-IscsiTarget",
        "Connect-IscsiTarget", "Disconnect-IscsiTarget", "Get-IscsiSession", "Get-IscsiLun", "Invoke-ScsiCommand",
        "Start-ScsiCommand", "Wait-ScsiCommand", "Stop-ScsiCommand", "Reset-IscsiLun", "Reset-IscsiTarget",
        "Read-IscsiBlock", "Write-IscsiBlock", "Test-IscsiSession",
    ];

    /// <summary>Get-Verb of PowerShell 7.4 (every group).</summary>
    private static readonly HashSet<string> ApprovedVerbs = new(StringComparer.Ordinal)
    {
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
        "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show",
        "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch", "Connect", "Disconnect", "Read", "Receive", "Send",
        "Write", "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit",
        "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save",
        "Sync", "Unpublish", "Update", "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace", "Approve", "Assert",
        "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke", "Register", "Request",
        "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait", "Block", "Grant",
        "Protect", "Revoke", "Unblock", "Unprotect", "Use",
    };

    /// <summary>Cmdlets that change data or state: -WhatIf/-Confirm, with the ConfirmImpact each needs.</summary>
    private static readonly Dictionary<string, int> ChangingCmdlets = new()
    {
        ["Write-IscsiBlock"] = CmdletMetadata.ConfirmImpactHigh,
        ["Reset-IscsiLun"] = CmdletMetadata.ConfirmImpactHigh,
        ["Reset-IscsiTarget"] = CmdletMetadata.ConfirmImpactHigh,
        ["Invoke-ScsiCommand"] = CmdletMetadata.ConfirmImpactHigh,
        ["Start-ScsiCommand"] = CmdletMetadata.ConfirmImpactHigh,
        ["Stop-ScsiCommand"] = CmdletMetadata.ConfirmImpactMedium,
        ["Disconnect-IscsiTarget"] = CmdletMetadata.ConfirmImpactMedium,
        ["Remove-IscsiTargetPortal"] = CmdletMetadata.ConfirmImpactMedium,
        // It changes the process's remembered portals, after a discovery login: -WhatIf must be able to skip both.
        ["New-IscsiTargetPortal"] = CmdletMetadata.ConfirmImpactLow,
    };

    /// <summary>The documented pipeline: (cmdlet, parameter) → (by value, by property name).</summary>
    private static readonly Dictionary<(string Cmdlet, string Parameter), (bool ByValue, bool ByPropertyName)> Pipeline = new()
    {
        [("Connect-IscsiTarget", "NodeAddress")] = (false, true),
        [("Connect-IscsiTarget", "TargetPortalAddress")] = (false, true),
        [("Connect-IscsiTarget", "TargetPortalPortNumber")] = (false, true),
        [("Connect-IscsiTarget", "AlternatePortal")] = (false, true),
        [("Get-IscsiTarget", "TargetPortalAddress")] = (false, true),
        [("Get-IscsiLun", "Session")] = (true, true),
        [("Read-IscsiBlock", "Session")] = (true, true),
        [("Read-IscsiBlock", "Lun")] = (false, true),
        [("Write-IscsiBlock", "Session")] = (true, true),
        [("Write-IscsiBlock", "Lun")] = (false, true),
        [("Invoke-ScsiCommand", "Session")] = (true, true),
        [("Invoke-ScsiCommand", "Lun")] = (false, true),
        [("Start-ScsiCommand", "Session")] = (true, true),
        [("Wait-ScsiCommand", "Task")] = (true, false),
        [("Stop-ScsiCommand", "Task")] = (true, false),
        [("Reset-IscsiLun", "Lun")] = (false, true),
        [("Disconnect-IscsiTarget", "Session")] = (true, false),
        [("Test-IscsiSession", "Session")] = (true, true),
    };

    private static IReadOnlyList<CmdletMetadata> Cmdlets => CmdletMetadataReader.Cmdlets;

    public static TheoryData<string> CmdletNames => new(ExpectedCmdlets);

    [Fact]
    public void The_module_has_exactly_the_cmdlets_of_the_issue()
        => Assert.Equal(ExpectedCmdlets.Order(), Cmdlets.Select(c => c.Name).Order());

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_uses_an_approved_verb_and_the_class_naming_convention(string name)
    {
        var cmdlet = Find(name);
        Assert.Contains(cmdlet.Verb, ApprovedVerbs);
        Assert.Equal($"IscsiModule.Commands.{cmdlet.Verb}{cmdlet.Noun}Command", cmdlet.ClassName);
        string file = Path.Combine(ModuleFiles.ModuleDirectory, "Commands", $"{cmdlet.Verb}{cmdlet.Noun}Command.cs");
        Assert.True(File.Exists(file), $"{file} is missing (one cmdlet per file)");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_declares_output_types_that_exist(string name)
    {
        var cmdlet = Find(name);
        Assert.NotEmpty(cmdlet.OutputTypes);
        foreach (var type in cmdlet.OutputTypes)
            Assert.True(TypeExists(type), $"{name} declares [OutputType({type})], which is not a public type of the module, the engine or the BCL");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_supports_ShouldProcess_exactly_when_it_changes_data(string name)
    {
        var cmdlet = Find(name);
        if (ChangingCmdlets.TryGetValue(name, out int impact))
        {
            Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes data but does not support -WhatIf/-Confirm");
            Assert.Equal(impact, cmdlet.ConfirmImpact);
        }
        else
        {
            Assert.False(cmdlet.SupportsShouldProcess, $"{name} does not change data; -WhatIf would only confuse");
        }
    }

    [Fact]
    public void Pipeline_binding_is_as_documented()
    {
        foreach (var ((cmdletName, parameterName), (byValue, byName)) in Pipeline)
        {
            var parameter = Find(cmdletName).Parameter(parameterName);
            Assert.True(byValue == parameter.ByValue, $"{cmdletName} -{parameterName}: ValueFromPipeline should be {byValue}");
            Assert.True(byName == parameter.ByPropertyName, $"{cmdletName} -{parameterName}: ValueFromPipelineByPropertyName should be {byName}");
        }
    }

    [Fact]
    public void Objects_piped_along_the_documented_chain_carry_the_properties_that_bind()
    {
        // Get-IscsiTarget | Connect-IscsiTarget binds these by name (-AlternatePortal through its alias Portals).
        var aliases = new Dictionary<string, string> { ["AlternatePortal"] = "Portals" };
        foreach (var p in Find("Connect-IscsiTarget").Parameters.Where(p => p.ByPropertyName))
            Assert.NotNull(typeof(IscsiTarget).GetProperty(aliases.GetValueOrDefault(p.Name, p.Name)));
        // Get-IscsiLun | Read-IscsiBlock / Write-IscsiBlock / Invoke-ScsiCommand bind Session and Lun by name.
        foreach (var name in new[] { "Read-IscsiBlock", "Write-IscsiBlock", "Invoke-ScsiCommand" })
        {
            foreach (var p in Find(name).Parameters.Where(p => p.ByPropertyName))
                Assert.True(typeof(IscsiLun).GetProperty(p.Name) is not null, $"IscsiLun has no {p.Name} for {name}");
        }
        Assert.Equal("IscsiModule.IscsiSessionInfo", typeof(IscsiLun).GetProperty("Session")!.PropertyType.FullName);
    }

    [Fact]
    public void Positions_are_unique_within_each_parameter_set()
    {
        foreach (var cmdlet in Cmdlets)
        {
            var positioned = cmdlet.Parameters.SelectMany(p => p.Attributes.Where(a => a.Position is not null)
                .Select(a => (Set: a.ParameterSetName ?? "__AllParameterSets", a.Position, p.Name)));
            foreach (var group in positioned.GroupBy(x => x.Position))
            {
                var sets = group.Select(g => g.Set).ToArray();
                bool clash = sets.Contains("__AllParameterSets") ? group.Count() > 1 : sets.Length != sets.Distinct().Count();
                Assert.False(clash, $"{cmdlet.Name}: position {group.Key} is used by {string.Join(", ", group.Select(g => g.Name))}");
            }
        }
    }

    [Fact]
    public void ValidateRange_bounds_have_one_type_matching_the_parameter()
    {
        // PowerShell refuses a [ValidateRange] whose minimum and maximum differ in type (1 vs long.MaxValue)
        // only when the cmdlet is bound: catch it here.
        var checkedAny = false;
        foreach (var cmdlet in Cmdlets)
        {
            foreach (var p in cmdlet.Parameters.Where(p => p.ValidateRangeArgumentTypes is not null))
            {
                checkedAny = true;
                var types = p.ValidateRangeArgumentTypes!;
                Assert.True(types.Count == 2 && types[0] == types[1], $"{cmdlet.Name} -{p.Name}: ValidateRange bounds are {string.Join(" and ", types)}");
                string element = p.TypeName.Replace("System.Nullable`1[", "").TrimEnd(']').Replace("[", "");
                Assert.True(element == types[0], $"{cmdlet.Name} -{p.Name} is {p.TypeName} but its ValidateRange bounds are {types[0]}");
            }
        }
        Assert.True(checkedAny);
    }

    [Fact]
    public void Secrets_are_only_taken_as_PSCredential()
    {
        foreach (var cmdlet in Cmdlets)
        {
            foreach (var p in cmdlet.Parameters)
            {
                if (p.Name.Contains("Credential", StringComparison.Ordinal))
                    Assert.Equal("System.Management.Automation.PSCredential", p.TypeName);
                Assert.DoesNotContain("Secret", p.Name, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Password", p.Name, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Manifest_exports_every_cmdlet_and_nothing_else()
    {
        Assert.Equal(Cmdlets.Select(c => c.Name).Order(), ModuleFiles.CmdletsToExport().Order());
    }

    [Fact]
    public void Manifest_has_the_gallery_fields()
    {
        Assert.Equal("IscsiModule.dll", ModuleFiles.ManifestValue("RootModule"));
        Assert.Equal("0.1.0", ModuleFiles.ManifestValue("ModuleVersion"));
        Assert.Equal("7.4", ModuleFiles.ManifestValue("PowerShellVersion"));
        string text = File.ReadAllText(ModuleFiles.Manifest);
        Assert.Contains("CompatiblePSEditions = @('Core')", text);
        Assert.Contains("FormatsToProcess     = @('IscsiModule.format.ps1xml')", text);
        foreach (var key in new[] { "Tags", "LicenseUri", "ProjectUri", "ReleaseNotes" })
            Assert.Matches($@"(?m)^\s*{key}\s*=\s*\S", text);
        string csproj = File.ReadAllText(Path.Combine(ModuleFiles.ModuleDirectory, "IscsiModule.csproj"));
        Assert.Contains("<Version>0.1.0</Version>", csproj);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Help_page_documents_exactly_the_class_parameters(string name)
    {
        var cmdlet = Find(name);
        string path = Path.Combine(ModuleFiles.CmdletDocs, name + ".md");
        Assert.True(File.Exists(path), $"{path} is missing");
        var page = CmdletHelpPage.Load(path);

        Assert.Contains("external help file: IscsiModule.dll-Help.xml", page.FrontMatter);
        Assert.Contains("Module Name: IscsiModule", page.FrontMatter);
        Assert.Equal(["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"],
            page.Sections.Where(s => s == s.ToUpperInvariant()).ToArray());
        Assert.True(page.ExampleCount >= 2, $"{name}.md has {page.ExampleCount} examples; at least 2 are needed");

        var expected = cmdlet.Parameters.Select(p => p.Name).ToList();
        if (cmdlet.SupportsShouldProcess) expected.AddRange(["Confirm", "WhatIf"]);
        Assert.Equal(expected.Order(), page.Parameters.Keys.Order());

        foreach (var p in cmdlet.Parameters)
        {
            string documented = CmdletHelpPage.PipelineInput(page.Parameters[p.Name]);
            string actual = (p.ByValue, p.ByPropertyName) switch
            {
                (true, true) => "True (ByValue, ByPropertyName)",
                (true, false) => "True (ByValue)",
                (false, true) => "True (ByPropertyName)",
                _ => "False",
            };
            Assert.True(actual == documented, $"{name} -{p.Name}: the page says 'Accept pipeline input: {documented}', the class binds '{actual}'");
        }
        foreach (var type in cmdlet.OutputTypes.Where(t => t != "System.Byte[]" && t != "System.Boolean"))
            Assert.Contains(type, page.Text);
    }

    [Fact]
    public void Format_file_names_only_existing_types_and_views_every_output_type()
    {
        var doc = XDocument.Load(ModuleFiles.FormatFile);
        var views = doc.Descendants("View").Select(v => (
            Type: v.Element("ViewSelectedBy")!.Element("TypeName")!.Value,
            Kind: v.Element("TableControl") is not null ? "Table" : v.Element("ListControl") is not null ? "List" : "Other")).ToArray();
        foreach (var (type, _) in views)
            Assert.True(TypeExists(type), $"format.ps1xml names {type}, which is not a public type of the module or the engine");

        var outputTypes = Cmdlets.SelectMany(c => c.OutputTypes).Where(t => t != "System.Byte[]" && t != "System.Boolean").Distinct();
        foreach (var type in outputTypes)
        {
            Assert.Contains((type, "Table"), views);
            Assert.Contains((type, "List"), views);
        }
    }

    [Fact]
    public void Every_module_error_category_exists_in_PowerShell()
    {
        Assert.True(File.Exists(ModuleFiles.SmaReferenceAssembly), $"{ModuleFiles.SmaReferenceAssembly} not found (restore the module project)");
        var names = CmdletMetadataReader.EnumMemberNames(ModuleFiles.SmaReferenceAssembly, "System.Management.Automation.ErrorCategory");
        foreach (var category in Enum.GetNames<ModuleErrorCategory>())
            Assert.Contains(category, names);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_has_a_Pester_file(string name)
        => Assert.True(File.Exists(Path.Combine(ModuleFiles.PesterDirectory, name + ".Tests.ps1")), $"tests/Pester/{name}.Tests.ps1 is missing");

    private static CmdletMetadata Find(string name)
        => Cmdlets.SingleOrDefault(c => c.Name == name) ?? throw new Xunit.Sdk.XunitException($"no cmdlet {name} in IscsiModule.dll");

    private static readonly Lazy<IReadOnlySet<string>> KnownTypes = new(() =>
    {
        var set = new HashSet<string>(CmdletMetadataReader.PublicTypeNames(CmdletMetadataReader.ModuleAssemblyPath));
        set.UnionWith(CmdletMetadataReader.PublicTypeNames(typeof(Iscsi.Scsi.ScsiResult).Assembly.Location));
        return set;
    });

    private static bool TypeExists(string name)
        => KnownTypes.Value.Contains(name) || (name.StartsWith("System.", StringComparison.Ordinal) && Type.GetType(name) is not null);
}
