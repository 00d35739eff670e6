namespace Writ.Core.Audit;

/// <summary>
/// The audit signing key as stored: its signed-note key name, the Ed25519 public key, and the
/// private key encrypted under the root key (never in the clear).
/// </summary>
public sealed record StoredAuditKey(string Name, byte[] PublicKey, byte[] ProtectedPrivateKey, DateTimeOffset CreatedAt);
