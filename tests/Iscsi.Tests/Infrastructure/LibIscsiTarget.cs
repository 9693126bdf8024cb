namespace Iscsi.Tests.Infrastructure;

/// <summary>One "Target:&lt;iqn&gt; Portal:&lt;address&gt;,&lt;tpgt&gt;" line of iscsi-ls, with the LUN lines under it (iscsi-ls -s).</summary>
public sealed record LibIscsiTarget(string Iqn, string Portal, IReadOnlyList<LibIscsiLun> Luns);

/// <summary>One "Lun:&lt;n&gt; Type:&lt;type&gt; (Size:&lt;size&gt;)" line of iscsi-ls -s.</summary>
/// <param name="Type">libiscsi's peripheral device type name, e.g. DIRECT_ACCESS, STORAGE_ARRAY_CONTROLLER.</param>
/// <param name="Size">As printed (e.g. "63M"), null when absent. libiscsi 1.19 computes it as returned LBA x block
/// length, one block short, then rounds down: a 64 MiB LUN shows "63M". Do not cross-check exact sizes with it.</param>
public sealed record LibIscsiLun(int Lun, string Type, string? Size);
