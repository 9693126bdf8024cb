namespace Iscsi.Scsi;

/// <summary>Supported VPD Pages page, 00h (SPC-5 7.7.16): bytes 4.. list the page codes.</summary>
public sealed class SupportedVpdPages
{
    private SupportedVpdPages(IReadOnlyList<byte> pages) => Pages = pages;

    public IReadOnlyList<byte> Pages { get; }

    public bool Supports(byte pageCode) => Pages.Contains(pageCode);

    public static SupportedVpdPages Parse(ReadOnlySpan<byte> data)
        => new(VpdPage.Body(data, VpdPage.SupportedPages, "Supported VPD Pages").ToArray());

    public override string ToString() => string.Join(",", Pages.Select(p => p.ToString("X2")));
}
