namespace Writ.Core.Audit;

/// <summary>How the audit log batches, bounds and checkpoints its appends.</summary>
public sealed record AuditOptions
{
    /// <summary>
    /// How long a record accepted by <see cref="IAuditLog.RecordAsync"/> may wait for more records
    /// before its batch is committed (default 5 ms). A batch holding a record someone waits on commits
    /// at once. Zero makes every record wait for durability.
    /// </summary>
    public TimeSpan FlushWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Most records in one transaction.</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>
    /// Most records waiting for the writer. New actions' records are refused once three quarters of it
    /// is taken; the last quarter is kept for follow-up records (<see cref="IAuditLog.RecordFollowUpAsync"/>),
    /// which wait for room rather than being lost.
    /// </summary>
    public int QueueCapacity { get; init; } = 16_384;

    /// <summary>Queued records beyond which a new action's record is refused.</summary>
    internal int AdmissionLimit => QueueCapacity - (QueueCapacity / 4);

    /// <summary>A checkpoint is signed at least every this many records.</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>A checkpoint is signed at least this often while records arrive, and after the last one.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the writer waits before retrying after a failed commit.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (FlushWindow < TimeSpan.Zero || FlushWindow > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(FlushWindow), FlushWindow, "the audit flush window must be 0 to 1 second");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, MaxBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointEvery, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero);
    }
}
