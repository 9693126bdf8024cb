using Iscsi;
using Iscsi.Scsi;

namespace IscsiModule.Logic;

/// <summary>Get-IscsiLun behind the cmdlet: REPORT LUNS, then per LUN INQUIRY, VPD 0x80 and 0x83, READ CAPACITY and
/// MODE SENSE's write-protect bit. What a unit does not support (a controller LUN has no capacity, some units no
/// serial number) is left empty rather than failing the whole LUN.</summary>
public static class LunInfoBuilder
{
    /// <summary>Every LUN the target reports, or only <paramref name="luns"/> (each must be reported: <c>LunNotFound</c>).</summary>
    public static async Task<IReadOnlyList<IscsiLun>> BuildAsync(IscsiSessionInfo session, IReadOnlyCollection<int>? luns,
        CancellationToken cancellationToken)
    {
        SessionCache.RequireConnected(session);
        var reported = await session.Session.ReportLunsAsync(cancellationToken).ConfigureAwait(false);
        session.KnownLuns = reported;
        IEnumerable<int> wanted = reported;
        if (luns is { Count: > 0 })
        {
            foreach (int lun in luns)
            {
                if (!reported.Contains(lun))
                    throw new IscsiArgumentException("LunNotFound",
                        $"LUN {lun} is not reported by {session.NodeAddress} (its LUNs: {string.Join(", ", reported)}).");
            }
            wanted = luns;
        }

        var result = new List<IscsiLun>();
        foreach (int lun in wanted.Distinct().Order())
            result.Add(await DescribeAsync(session, lun, cancellationToken).ConfigureAwait(false));
        return result;
    }

    public static async Task<IscsiLun> DescribeAsync(IscsiSessionInfo session, int lun, CancellationToken cancellationToken)
    {
        var s = session.Session;
        var inquiry = await s.InquiryAsync(lun, cancellationToken).ConfigureAwait(false);
        var serial = await OptionalAsync(() => s.GetUnitSerialNumberAsync(lun, cancellationToken)).ConfigureAwait(false);
        var identification = await OptionalAsync(() => s.GetDeviceIdentificationAsync(lun, cancellationToken)).ConfigureAwait(false);
        ReadCapacityData? capacity = null;
        bool writeProtected = false;
        if (HasCapacity(inquiry.DeviceType))
        {
            capacity = await OptionalAsync(() => s.ReadCapacityAsync(lun, cancellationToken)).ConfigureAwait(false);
            var mode = await OptionalAsync(() => s.ModeSenseAsync(lun, 0x3F, cancellationToken: cancellationToken)).ConfigureAwait(false);
            writeProtected = mode?.WriteProtected ?? false;
        }
        string? serialText = string.IsNullOrWhiteSpace(serial?.SerialNumber) ? null : serial.SerialNumber.Trim();
        return new IscsiLun(session, lun, inquiry, serialText, identification?.Designators ?? [], capacity, writeProtected);
    }

    // Block devices and their relatives answer READ CAPACITY; a controller (LUN 0 on tgtd), tape or enclosure does not.
    internal static bool HasCapacity(PeripheralDeviceType type)
        => type is PeripheralDeviceType.DirectAccessBlock or PeripheralDeviceType.OpticalMemory
            or PeripheralDeviceType.CdDvd or PeripheralDeviceType.WriteOnce or PeripheralDeviceType.HostManagedZonedBlock
            or PeripheralDeviceType.SimplifiedDirectAccess;

    // The engine's ErrorId for undecodable parameter data (its ScsiData helper is internal).
    private const string ScsiDataMalformedErrorId = "ScsiDataMalformed";

    /// <summary>A query a unit may reject (ILLEGAL REQUEST...) or answer with malformed data: null then. A broken
    /// connection or a cancellation is not optional and still throws.</summary>
    private static async Task<T?> OptionalAsync<T>(Func<Task<T>> query) where T : class
    {
        try
        {
            return await query().ConfigureAwait(false);
        }
        catch (ScsiCommandException)
        {
            return null;
        }
        catch (IscsiProtocolException ex) when (ex.ErrorId == ScsiDataMalformedErrorId)
        {
            return null;
        }
    }
}
