using System.CommandLine;
using Iscsi;

namespace IscsiCli;

/// <summary>
/// Runs the parsed command line with System.CommandLine's own output (usage errors, help, typo suggestions) held
/// back until it ends, then writes it with every typed argument that may carry a secret in its redacted form:
/// "Unrecognized command or argument '...'" quotes what was typed, and a URL typed in the wrong place would
/// otherwise come back with its user%secret@. The commands write their own output straight to the console.
/// </summary>
internal static class ParserOutput
{
    // System.CommandLine quotes every token it echoes; a long argument is also replaced where it stands unquoted,
    // in case a message does not quote it. Short ones are not: "%" alone would mangle every '%' of the help text.
    private const int UnquotedMinimumLength = 8;

    public static async Task<int> InvokeAsync(ParseResult parse, IReadOnlyList<string> args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
        }
        finally
        {
            var typed = args.Concat(parse.Tokens.Select(t => t.Value)).ToList();
            await Console.Error.WriteAsync(Redact(error.ToString(), typed)).ConfigureAwait(false);
            await Console.Out.WriteAsync(Redact(output.ToString(), typed)).ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="text"/> with each of the <paramref name="typed"/> arguments that
    /// <see cref="IscsiUrl.Redact"/> changes (a secret hidden, a control character escaped) replaced by its
    /// redacted form.</summary>
    internal static string Redact(string text, IEnumerable<string> typed)
    {
        foreach (var word in typed.Where(w => w.Length > 0).Distinct().OrderByDescending(w => w.Length))
        {
            string shown = IscsiUrl.Redact(word);
            if (shown == word) continue;
            text = text.Replace($"'{word}'", $"'{shown}'", StringComparison.Ordinal);
            if (word.Length >= UnquotedMinimumLength) text = text.Replace(word, shown, StringComparison.Ordinal);
        }
        return text;
    }
}
