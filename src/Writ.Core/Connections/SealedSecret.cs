namespace Writ.Core.Connections;

/// <summary>A connection's secret as stored: envelope ciphertext and the id of the key-encryption key that wraps its data key.</summary>
/// <param name="KekId">The key-encryption key's id.</param>
/// <param name="Ciphertext">The envelope (wrapped data key and encrypted secret), bound to the connection id.</param>
public sealed record SealedSecret(string KekId, byte[] Ciphertext)
{
    /// <inheritdoc />
    public bool Equals(SealedSecret? other) =>
        other is not null && string.Equals(KekId, other.KekId, StringComparison.Ordinal) && Ciphertext.AsSpan().SequenceEqual(other.Ciphertext);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(KekId, Ciphertext.Length);
}
