using System.Buffers.Binary;

namespace Iscsi.Scsi;

/// <summary>
/// Builds CDBs byte for byte from the SPC-5 / SBC-4 layouts. Every builder returns a new array with the
/// CONTROL byte zero, and rejects values that do not fit their field with an IscsiArgumentException
/// naming the value (never silently truncating).
/// </summary>
public static partial class Cdb
{
    /// <summary>TEST UNIT READY (SPC-5 6.47): 00h and five zero bytes.</summary>
    public static byte[] TestUnitReady() => new byte[6];

    /// <summary>INQUIRY (SPC-5 6.7).</summary>
    /// <remarks><code>
    /// 0 | 12h | 1 | EVPD (bit 0) | 2 | PAGE CODE | 3-4 | ALLOCATION LENGTH | 5 | CONTROL
    /// </code></remarks>
    public static byte[] Inquiry(bool evpd, byte page, ushort allocationLength)
    {
        if (!evpd && page != 0)
            throw new IscsiArgumentException("InquiryPageWithoutEvpd",
                $"INQUIRY page code 0x{page:X2} needs EVPD set; standard INQUIRY data has page code 0.");
        var cdb = new byte[6];
        cdb[0] = ScsiOpcodes.Inquiry;
        cdb[1] = (byte)(evpd ? 0x01 : 0x00);
        cdb[2] = page;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(3), allocationLength);
        return cdb;
    }

    /// <summary>READ CAPACITY(10) (SBC-4 5.20): 25h and nine zero bytes.</summary>
    public static byte[] ReadCapacity10()
    {
        var cdb = new byte[10];
        cdb[0] = ScsiOpcodes.ReadCapacity10;
        return cdb;
    }

    /// <summary>READ CAPACITY(16) (SBC-4 5.21).</summary>
    /// <remarks><code>
    /// 0 | 9Eh | 1 | SERVICE ACTION 10h | 2-9 | obsolete LBA | 10-13 | ALLOCATION LENGTH | 14 | obsolete PMI | 15 | CONTROL
    /// </code></remarks>
    public static byte[] ReadCapacity16(uint allocationLength = 32)
    {
        var cdb = new byte[16];
        cdb[0] = ScsiOpcodes.ServiceActionIn16;
        cdb[1] = ScsiOpcodes.ReadCapacity16ServiceAction;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), allocationLength);
        return cdb;
    }

    /// <summary>REPORT LUNS (SPC-5 6.33).</summary>
    /// <remarks><code>
    /// 0 | A0h | 2 | SELECT REPORT | 6-9 | ALLOCATION LENGTH (at least 16) | 11 | CONTROL
    /// </code></remarks>
    public static byte[] ReportLuns(byte selectReport, uint allocationLength)
    {
        if (allocationLength < 16)
            throw new IscsiArgumentException("AllocationLengthTooSmall",
                $"REPORT LUNS allocation length {allocationLength} is below the minimum of 16.");
        var cdb = new byte[12];
        cdb[0] = ScsiOpcodes.ReportLuns;
        cdb[2] = selectReport;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), allocationLength);
        return cdb;
    }

    /// <summary>MODE SENSE(6) (SPC-5 6.14).</summary>
    /// <remarks><code>
    /// 0 | 1Ah | 1 | DBD (bit 3) | 2 | PC (7-6) PAGE CODE (5-0) | 3 | SUBPAGE CODE | 4 | ALLOCATION LENGTH | 5 | CONTROL
    /// </code></remarks>
    public static byte[] ModeSense6(bool dbd, ModePageControl pageControl, byte page, byte subpage, byte allocationLength)
    {
        var cdb = new byte[6];
        cdb[0] = ScsiOpcodes.ModeSense6;
        cdb[1] = (byte)(dbd ? 0x08 : 0x00);
        cdb[2] = PageControlAndCode(pageControl, page);
        cdb[3] = subpage;
        cdb[4] = allocationLength;
        return cdb;
    }

    /// <summary>MODE SENSE(10) (SPC-5 6.15).</summary>
    /// <remarks><code>
    /// 0 | 5Ah | 1 | LLBAA (bit 4) DBD (bit 3) | 2 | PC (7-6) PAGE CODE (5-0) | 3 | SUBPAGE CODE | 7-8 | ALLOCATION LENGTH | 9 | CONTROL
    /// </code></remarks>
    public static byte[] ModeSense10(bool llbaa, bool dbd, ModePageControl pageControl, byte page, byte subpage, ushort allocationLength)
    {
        var cdb = new byte[10];
        cdb[0] = ScsiOpcodes.ModeSense10;
        cdb[1] = (byte)((llbaa ? 0x10 : 0x00) | (dbd ? 0x08 : 0x00));
        cdb[2] = PageControlAndCode(pageControl, page);
        cdb[3] = subpage;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), allocationLength);
        return cdb;
    }

    /// <summary>REQUEST SENSE (SPC-5 6.39).</summary>
    /// <remarks><code>
    /// 0 | 03h | 1 | DESC (bit 0) | 4 | ALLOCATION LENGTH | 5 | CONTROL
    /// </code></remarks>
    public static byte[] RequestSense(bool descriptorFormat, byte allocationLength)
    {
        var cdb = new byte[6];
        cdb[0] = ScsiOpcodes.RequestSense;
        cdb[1] = (byte)(descriptorFormat ? 0x01 : 0x00);
        cdb[4] = allocationLength;
        return cdb;
    }

    private static byte PageControlAndCode(ModePageControl pageControl, byte page)
    {
        if ((byte)pageControl > 3)
            throw new IscsiArgumentException("PageControlInvalid", $"Mode page control {(byte)pageControl} is outside 0..3.");
        if (page > 0x3F)
            throw new IscsiArgumentException("PageCodeInvalid", $"Mode page code 0x{page:X2} is outside 00h..3Fh.");
        return (byte)((byte)pageControl << 6 | page);
    }
}
