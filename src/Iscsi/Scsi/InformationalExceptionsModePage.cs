namespace Iscsi.Scsi;

/// <summary>Informational Exceptions Control mode page, 1Ch (SPC-5 7.5.15).</summary>
/// <remarks><code>
/// 2    | PERF (7) | EBF (5) | EWASC (4) | DEXCPT (3) | TEST (2) | EBACKERR (1) | LOGERR (0) |
/// 3    | MRIE (3-0)                                                                        |
/// 4-7  | INTERVAL TIMER (100 ms units)                                                     |
/// 8-11 | REPORT COUNT                                                                      |
/// </code></remarks>
public sealed class InformationalExceptionsModePage
{
    public const byte Code = 0x1C;

    public InformationalExceptionsModePage(ModePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Page = page;
    }

    public ModePage Page { get; }
    private ReadOnlySpan<byte> P => Page.Raw;

    public bool Performance => ScsiData.BitAt(P, 2, 7);
    public bool EnableBackgroundFunction => ScsiData.BitAt(P, 2, 5);
    public bool EnableWarning => ScsiData.BitAt(P, 2, 4);
    /// <summary>DEXCPT: informational exception operations are disabled.</summary>
    public bool DisableExceptionControl => ScsiData.BitAt(P, 2, 3);
    public bool Test => ScsiData.BitAt(P, 2, 2);
    public bool EnableBackgroundError => ScsiData.BitAt(P, 2, 1);
    public bool LogErrors => ScsiData.BitAt(P, 2, 0);
    /// <summary>MRIE: method of reporting informational exceptions.</summary>
    public byte ReportingMethod => (byte)(ScsiData.ByteAt(P, 3) & 0x0F);
    public uint IntervalTimer => ScsiData.U32At(P, 4);
    public uint ReportCount => ScsiData.U32At(P, 8);
}
