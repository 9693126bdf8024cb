namespace Iscsi.Scsi;

/// <summary>Device Identification page, 83h (SPC-5 7.7.6): a list of designation descriptors from byte 4.</summary>
public sealed class DeviceIdentification
{
    private DeviceIdentification(IReadOnlyList<Designator> designators) => Designators = designators;

    public IReadOnlyList<Designator> Designators { get; }

    /// <summary>The logical unit's preferred name: NAA, else EUI-64, else SCSI name string, else T10 vendor id.</summary>
    public Designator? PreferredLogicalUnitDesignator
        => Designators.Where(d => d.Association == DesignatorAssociation.LogicalUnit)
            .OrderBy(d => d.DesignatorType switch
            {
                DesignatorType.Naa => 0,
                DesignatorType.Eui64 => 1,
                DesignatorType.ScsiNameString => 2,
                DesignatorType.T10VendorId => 3,
                _ => 4,
            }).FirstOrDefault();

    /// <summary>Decodes the page; a designator cut off by the allocation length is left out.</summary>
    public static DeviceIdentification Parse(ReadOnlySpan<byte> data)
    {
        var body = VpdPage.Body(data, VpdPage.DeviceIdentification, "Device Identification");
        var list = new List<Designator>();
        int offset = 0;
        while (offset + Designator.HeaderLength <= body.Length)
        {
            var d = body[offset..];
            int length = d[3];
            if (Designator.HeaderLength + length > d.Length)
                break;
            list.Add(new Designator(
                protocolIdentifier: (byte)(d[0] >> 4),
                codeSet: (DesignatorCodeSet)(d[0] & 0x0F),
                piv: (d[1] & 0x80) != 0,
                association: (DesignatorAssociation)(d[1] >> 4 & 0x03),
                type: (DesignatorType)(d[1] & 0x0F),
                identifier: d.Slice(Designator.HeaderLength, length).ToArray()));
            offset += Designator.HeaderLength + length;
        }
        return new DeviceIdentification(list);
    }
}
