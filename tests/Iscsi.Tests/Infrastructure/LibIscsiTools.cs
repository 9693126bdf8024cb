using System.Globalization;

namespace Iscsi.Tests.Infrastructure;

/// <summary>Runs libiscsi's utilities (the reference initiator) and parses what they print, so tests can
/// cross-check our decoders against an independent implementation. Every run has a 10 s limit; a failure
/// (exit code, timeout, unparsable output) throws <see cref="ExternalToolException"/> with the command line
/// (secrets masked), exit code, stdout and stderr.</summary>
public static class LibIscsiTools
{
    /// <summary>Standard INQUIRY data as iscsi-inq decodes it ("Vendor", "Product", "Peripheral Device Type", ...).</summary>
    public static Task<LibIscsiFields> InquiryAsync(string lunUrl, CancellationToken cancellationToken = default) =>
        RunAndParseAsync("iscsi-inq", [lunUrl], LibIscsiOutputParser.ParseInquiry, cancellationToken);

    /// <summary>A VPD page (iscsi-inq -e 1 -c page). Page 0x00 gives one "Page" field per supported page,
    /// e.g. "0x80 UNIT_SERIAL_NUMBER"; 0x80 gives "Unit Serial Number"; 0x83 one group per designator.</summary>
    public static Task<LibIscsiFields> InquiryVpdAsync(string lunUrl, byte pageCode, CancellationToken cancellationToken = default)
    {
        // iscsi-inq 1.19 reads -c as a decimal integer: "0x80" would silently become page 0x00.
        var page = pageCode.ToString(CultureInfo.InvariantCulture);
        return RunAndParseAsync("iscsi-inq", ["-e", "1", "-c", page, lunUrl], LibIscsiOutputParser.ParseInquiry, cancellationToken);
    }

    /// <summary>READ CAPACITY (16) as iscsi-readcapacity16 decodes it.</summary>
    public static Task<LibIscsiReadCapacity16> ReadCapacity16Async(string lunUrl, CancellationToken cancellationToken = default) =>
        RunAndParseAsync("iscsi-readcapacity16", [lunUrl], LibIscsiOutputParser.ParseReadCapacity16, cancellationToken);

    /// <summary>SendTargets discovery through iscsi-ls; with <paramref name="showLuns"/> (-s) it also logs in to
    /// every target and lists its LUNs, and then fails as a whole if any one login fails (e.g. CHAP).</summary>
    public static Task<IReadOnlyList<LibIscsiTarget>> ListTargetsAsync(
        string portalUrl, bool showLuns, CancellationToken cancellationToken = default)
    {
        string[] arguments = showLuns ? ["-s", portalUrl] : [portalUrl];
        return RunAndParseAsync("iscsi-ls", arguments, LibIscsiOutputParser.ParseTargetList, cancellationToken);
    }

    /// <summary>Runs a libiscsi utility without judging the exit code: for tests where a refusal is the point.
    /// libiscsi's tools exit with 10 when a login or command fails and print the reason on stderr.</summary>
    public static Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(Resolve(tool), arguments, ProcessRunner.DefaultTimeout, cancellationToken);

    private static async Task<T> RunAndParseAsync<T>(
        string tool, IReadOnlyList<string> arguments, Func<string, T> parse, CancellationToken cancellationToken)
    {
        var result = await RunAsync(tool, arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ExternalToolException($"{tool} failed", result);
        }

        try
        {
            return parse(result.StandardOutput);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or OverflowException)
        {
            throw new ExternalToolException($"{tool} printed something we cannot parse: {e.Message}", result, e);
        }
    }

    private static string Resolve(string tool) =>
        ToolAvailability.FindOnPath(tool)
        ?? throw new ExternalToolException($"{tool} is not installed: {ToolAvailability.InstallHint}");
}
