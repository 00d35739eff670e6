namespace Writ.Core.Audit;

/// <summary>
/// What a capability hands to the audit log: who acted, for whom, in which task, on what, and with
/// which outcome. The log adds the sequence number and the time. Never put a token or a secret here;
/// name a token by its <c>jti</c> or a hash.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>The kind of event, one of <see cref="AuditEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The SPIFFE ID of the agent that acted, when one did.</summary>
    public string? Agent { get; init; }

    /// <summary>The accountable owner.</summary>
    public string? Owner { get; init; }

    /// <summary>The task id (<c>tid</c>), when the event belongs to a task.</summary>
    public string? TaskId { get; init; }

    /// <summary>The delegation chain as SPIFFE IDs, from the agent that started the root task to the acting agent.</summary>
    public IReadOnlyList<string>? Chain { get; init; }

    /// <summary>What the action was on: a tool and target, an agent name, a key id, a connection.</summary>
    public string? Target { get; init; }

    /// <summary><c>allow</c> or <c>deny</c> for decisions; otherwise the outcome (<c>issued</c>, <c>refused</c>, …).</summary>
    public string? Decision { get; init; }

    /// <summary>Why: the denying rule, the OAuth error description, the admin action.</summary>
    public string? Reason { get; init; }

    /// <summary>The W3C trace id of the request, linking the record to its trace.</summary>
    public string? TraceId { get; init; }

    /// <summary>The named admin token (or other non-agent principal) that made an administrative change.</summary>
    public string? Actor { get; init; }

    /// <summary>The determining policies of a decision (policy ids).</summary>
    public IReadOnlyList<string>? Policies { get; init; }

    /// <summary>Policies that raised an error during a decision (policy ids).</summary>
    public IReadOnlyList<string>? Errors { get; init; }

    /// <summary>Further facts as key/value text (attestation method, issuer, jti, status, latency in ms, …).</summary>
    public IReadOnlyDictionary<string, string>? Detail { get; init; }
}
