namespace Iscsi.Scsi;

/// <summary>MODE SENSE PC field (SPC-5 table 171): which values of the mode pages to return.</summary>
public enum ModePageControl : byte
{
    Current = 0,
    Changeable = 1,
    Default = 2,
    Saved = 3,
}
