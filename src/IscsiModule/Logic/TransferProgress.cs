namespace IscsiModule.Logic;

public enum TransferPhase { Reading, Writing, Verifying }

/// <summary>One step of a block transfer, for Write-Progress.</summary>
public sealed record TransferProgress(TransferPhase Phase, ulong BytesDone, ulong TotalBytes)
{
    public int PercentComplete => TotalBytes == 0 ? 100 : (int)Math.Min(100, BytesDone * 100 / TotalBytes);
}
