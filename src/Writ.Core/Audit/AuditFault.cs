namespace Writ.Core.Audit;

/// <summary>The first fault verification found: its kind, the first bad sequence number and an explanation.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Sequence">The first bad sequence number (for checkpoint faults, the checkpoint's tree size).</param>
/// <param name="Message">A sentence for people.</param>
public sealed record AuditFault(AuditFaultKind Kind, long Sequence, string Message)
{
    /// <summary>
    /// When the fault is only known to lie in a range (a checkpoint interval whose records do not
    /// hash to the signed root), the end of that range (exclusive); null when <see cref="Sequence"/> is exact.
    /// </summary>
    public long? UpTo { get; init; }
}
