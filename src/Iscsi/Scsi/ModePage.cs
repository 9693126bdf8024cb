namespace Iscsi.Scsi;

/// <summary>One mode page as returned by MODE SENSE (SPC-5 7.5.7).</summary>
/// <remarks><code>
/// page_0 format:   0 | PS (7) | SPF=0 (6) | PAGE CODE (5-0) | 1 | PAGE LENGTH (n-1) | 2-n parameters
/// sub_page format: 0 | PS (7) | SPF=1 (6) | PAGE CODE (5-0) | 1 | SUBPAGE CODE | 2-3 PAGE LENGTH (n-3) | 4-n parameters
/// </code></remarks>
public sealed class ModePage
{
    internal ModePage(byte pageCode, byte subpageCode, bool parametersSaveable, bool subpageFormat, int pageLength, byte[] raw)
    {
        PageCode = pageCode;
        SubpageCode = subpageCode;
        ParametersSaveable = parametersSaveable;
        SubpageFormat = subpageFormat;
        PageLength = pageLength;
        Raw = raw;
    }

    public byte PageCode { get; }
    public byte SubpageCode { get; }
    /// <summary>PS: the page can be saved (MODE SELECT with SP).</summary>
    public bool ParametersSaveable { get; }
    public bool SubpageFormat { get; }
    /// <summary>PAGE LENGTH as reported (may exceed what arrived if the allocation cut it).</summary>
    public int PageLength { get; }
    /// <summary>The page bytes as received, header included.</summary>
    public byte[] Raw { get; }
    /// <summary>Offset of the first parameter byte in <see cref="Raw"/> (2 or 4).</summary>
    public int HeaderLength => SubpageFormat ? 4 : 2;

    public override string ToString() => SubpageFormat ? $"Mode page {PageCode:X2}h/{SubpageCode:X2}h" : $"Mode page {PageCode:X2}h";
}
