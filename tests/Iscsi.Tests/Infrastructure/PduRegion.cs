namespace Iscsi.Tests.Infrastructure;

/// <summary>The part of a PDU a bit flip aims at.</summary>
public enum PduRegion
{
    /// <summary>The 48-byte Basic Header Segment (offsets 0-47).</summary>
    Header,

    /// <summary>The data segment (offsets 0 to DataSegmentLength - 1; padding and digests are never hit).</summary>
    Data,
}
