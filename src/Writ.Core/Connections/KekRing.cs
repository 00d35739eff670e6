namespace Writ.Core.Connections;

/// <summary>
/// The key-encryption keys this process knows: new secrets are sealed under <see cref="Current"/>,
/// old ones are opened with the KEK whose id is stored next to them.
/// </summary>
public sealed class KekRing : IDisposable
{
    private readonly Dictionary<string, KeyEncryptionKey> _keys = new(StringComparer.Ordinal);

    /// <summary>A ring whose first key is the current one.</summary>
    /// <exception cref="ArgumentException">No keys, or two keys with one id.</exception>
    public KekRing(IReadOnlyList<KeyEncryptionKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("a KEK ring needs at least one key", nameof(keys));
        }

        foreach (var key in keys)
        {
            if (!_keys.TryAdd(key.Id, key))
            {
                throw new ArgumentException($"two KEKs have the id '{key.Id}'", nameof(keys));
            }
        }

        Current = keys[0];
    }

    /// <summary>The KEK new secrets are sealed under.</summary>
    public KeyEncryptionKey Current { get; }

    /// <summary>The ids of every known KEK.</summary>
    public IReadOnlyCollection<string> Ids => _keys.Keys;

    /// <summary>The KEK with id <paramref name="id"/>, or null when this process does not have it.</summary>
    public KeyEncryptionKey? Find(string id) => _keys.GetValueOrDefault(id);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
