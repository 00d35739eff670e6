namespace Writ.Core.Revocation;

/// <summary>The facts of one token that a revocation can name; leave unknown ones null.</summary>
/// <param name="IssuedAt">The token's <c>iat</c>: agent and owner revocations end tokens issued at or before them.</param>
/// <param name="Jti">The token's <c>jti</c>.</param>
/// <param name="KeyId">The <c>kid</c> that signed it.</param>
/// <param name="TaskId">Its task id (<c>tid</c>).</param>
/// <param name="Agents">The SPIFFE IDs it speaks for: <c>sub</c> and every actor of the <c>act</c> chain.</param>
/// <param name="Owner">The accountable owner it names.</param>
/// <param name="LeaseId">The lease it belongs to.</param>
/// <param name="Connection">The connection its credential came from.</param>
public readonly record struct RevocationQuery(
    DateTimeOffset IssuedAt,
    string? Jti = null,
    string? KeyId = null,
    string? TaskId = null,
    IReadOnlyList<string>? Agents = null,
    string? Owner = null,
    string? LeaseId = null,
    string? Connection = null);
