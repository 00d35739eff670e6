namespace Writ.Core.Connections;

/// <summary>An upstream credential source owned by someone. The secret is only ever held sealed.</summary>
/// <param name="Id">Immutable id (<c>con_…</c>); the secret's ciphertext is bound to it.</param>
/// <param name="Name">Unique name (see <see cref="Domain.ResourceName"/>).</param>
/// <param name="Owner">The accountable owner.</param>
/// <param name="Kind">What kind of source it is.</param>
/// <param name="Settings">The non-secret fields of its kind.</param>
/// <param name="Metadata">Free key/value labels.</param>
/// <param name="Secret">The sealed secret.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="RotatedAt">When its secret was last re-encrypted or replaced, if ever.</param>
public sealed record Connection(
    string Id,
    string Name,
    string Owner,
    ConnectionKind Kind,
    ConnectionSettings Settings,
    IReadOnlyDictionary<string, string> Metadata,
    SealedSecret Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RotatedAt)
{
    /// <inheritdoc />
    public bool Equals(Connection? other) =>
        other is not null
        && Id == other.Id && Name == other.Name && Owner == other.Owner && Kind == other.Kind
        && Settings.Equals(other.Settings)
        && Metadata.Count == other.Metadata.Count && Metadata.All(p => other.Metadata.TryGetValue(p.Key, out var v) && v == p.Value)
        && Secret.Equals(other.Secret) && CreatedAt == other.CreatedAt && RotatedAt == other.RotatedAt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name);
}
