namespace Writ.Core.Audit;

/// <summary>
/// One entry of the tamper-evident audit log: an <see cref="AuditEvent"/> with the position the log
/// gave it (<see cref="Sequence"/>, the 0-based Merkle leaf index) and the time it was recorded.
/// Its leaf bytes are <see cref="AuditRecordEncoding.Encode(AuditRecord)"/>. Equality compares every
/// field by value, lists and the detail map included.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The 0-based position of the record in the log, which is also its Merkle leaf index.</summary>
    public required long Sequence { get; init; }

    /// <summary>When the log recorded the event, at microsecond precision (see <see cref="TruncateToMicroseconds"/>).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <inheritdoc cref="AuditEvent.Type"/>
    public required string Type { get; init; }

    /// <inheritdoc cref="AuditEvent.Agent"/>
    public string? Agent { get; init; }

    /// <inheritdoc cref="AuditEvent.Owner"/>
    public string? Owner { get; init; }

    /// <inheritdoc cref="AuditEvent.TaskId"/>
    public string? TaskId { get; init; }

    /// <inheritdoc cref="AuditEvent.Chain"/>
    public IReadOnlyList<string>? Chain { get; init; }

    /// <inheritdoc cref="AuditEvent.Target"/>
    public string? Target { get; init; }

    /// <inheritdoc cref="AuditEvent.Decision"/>
    public string? Decision { get; init; }

    /// <inheritdoc cref="AuditEvent.Reason"/>
    public string? Reason { get; init; }

    /// <inheritdoc cref="AuditEvent.TraceId"/>
    public string? TraceId { get; init; }

    /// <inheritdoc cref="AuditEvent.Actor"/>
    public string? Actor { get; init; }

    /// <inheritdoc cref="AuditEvent.Policies"/>
    public IReadOnlyList<string>? Policies { get; init; }

    /// <inheritdoc cref="AuditEvent.Errors"/>
    public IReadOnlyList<string>? Errors { get; init; }

    /// <inheritdoc cref="AuditEvent.Detail"/>
    public IReadOnlyDictionary<string, string>? Detail { get; init; }

    /// <summary>
    /// The record of <paramref name="auditEvent"/> at <paramref name="sequence"/>, with
    /// <paramref name="time"/> converted to UTC and truncated to whole microseconds.
    /// </summary>
    public static AuditRecord Create(long sequence, DateTimeOffset time, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return new AuditRecord
        {
            Sequence = sequence,
            Time = TruncateToMicroseconds(time),
            Type = auditEvent.Type,
            Agent = auditEvent.Agent,
            Owner = auditEvent.Owner,
            TaskId = auditEvent.TaskId,
            Chain = auditEvent.Chain,
            Target = auditEvent.Target,
            Decision = auditEvent.Decision,
            Reason = auditEvent.Reason,
            TraceId = auditEvent.TraceId,
            Actor = auditEvent.Actor,
            Policies = auditEvent.Policies,
            Errors = auditEvent.Errors,
            Detail = auditEvent.Detail,
        };
    }

    /// <summary><paramref name="time"/> in UTC with the ticks below one microsecond dropped, as the encoding keeps it.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>The event this record holds, without its sequence number and time.</summary>
    public AuditEvent ToEvent() => new()
    {
        Type = Type,
        Agent = Agent,
        Owner = Owner,
        TaskId = TaskId,
        Chain = Chain,
        Target = Target,
        Decision = Decision,
        Reason = Reason,
        TraceId = TraceId,
        Actor = Actor,
        Policies = Policies,
        Errors = Errors,
        Detail = Detail,
    };

    /// <inheritdoc />
    public bool Equals(AuditRecord? other) =>
        other is not null
        && Sequence == other.Sequence
        && Time.UtcTicks == other.Time.UtcTicks
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && string.Equals(Agent, other.Agent, StringComparison.Ordinal)
        && string.Equals(Owner, other.Owner, StringComparison.Ordinal)
        && string.Equals(TaskId, other.TaskId, StringComparison.Ordinal)
        && ListEquals(Chain, other.Chain)
        && string.Equals(Target, other.Target, StringComparison.Ordinal)
        && string.Equals(Decision, other.Decision, StringComparison.Ordinal)
        && string.Equals(Reason, other.Reason, StringComparison.Ordinal)
        && string.Equals(TraceId, other.TraceId, StringComparison.Ordinal)
        && string.Equals(Actor, other.Actor, StringComparison.Ordinal)
        && ListEquals(Policies, other.Policies)
        && ListEquals(Errors, other.Errors)
        && DetailEquals(Detail, other.Detail);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Sequence, Time.UtcTicks, Type, TaskId, Target);

    private static bool ListEquals(IReadOnlyList<string>? left, IReadOnlyList<string>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        for (var i = 0; i < left.Count; i++)
        {
            if (!string.Equals(left[i], right[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DetailEquals(IReadOnlyDictionary<string, string>? left, IReadOnlyDictionary<string, string>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
