namespace Writ.Core.Connections;

/// <summary>A key-encryption key (KEK): wraps and unwraps the random data key of each connection secret.</summary>
public abstract class KeyEncryptionKey : IDisposable
{
    /// <summary>The id stored next to every secret it wraps, so the right KEK is found after a rotation.</summary>
    public abstract string Id { get; }

    /// <summary>Encrypts <paramref name="dataKey"/>, bound to <paramref name="associatedData"/>.</summary>
    public abstract byte[] Wrap(ReadOnlySpan<byte> dataKey, string associatedData);

    /// <summary>Decrypts what <see cref="Wrap"/> produced with the same associated data; null when anything differs.</summary>
    public abstract byte[]? TryUnwrap(ReadOnlySpan<byte> wrapped, string associatedData);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Clears key material.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
