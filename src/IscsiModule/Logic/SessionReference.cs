using System.Text.RegularExpressions;

namespace IscsiModule.Logic;

/// <summary>Recognises a SessionIdentifier ("&lt;12 hex ISID&gt;-&lt;4 hex TSIH&gt;") in text that stands for a session:
/// the identifier itself, or a session's ToString ("&lt;id&gt; &lt;target&gt;"), which is what remoting makes of a
/// session nested in another object.</summary>
public static partial class SessionReference
{
    [GeneratedRegex("^\\s*([0-9a-fA-F]{12}-[0-9a-fA-F]{4})(?:\\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingIdentifier();

    public static string? IdentifierIn(string? text)
        => text is not null && LeadingIdentifier().Match(text) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : null;
}
