using System.Collections.Concurrent;
using Writ.Core.Storage;

namespace Writ.Core.Policy;

/// <summary>
/// The compiled current version of every named store in this process. Changes made through this process are put
/// here at once; <see cref="RefreshAsync"/> picks up changes made by other servers sharing the database.
/// </summary>
public sealed class NamedStoreCache(IWritStore store)
{
    private readonly ConcurrentDictionary<string, CompiledNamedStore> _stores = new(StringComparer.Ordinal);

    /// <summary>The compiled store named <paramref name="name"/>, or null when there is none (or it cannot be compiled).</summary>
    public CompiledNamedStore? Get(string name) => _stores.GetValueOrDefault(name);

    /// <summary>Makes <paramref name="compiled"/> the current version unless a newer one is already here.</summary>
    public void Put(CompiledNamedStore compiled)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        _stores.AddOrUpdate(compiled.Name, compiled, (_, existing) => existing.Version > compiled.Version ? existing : compiled);
    }

    /// <summary>Loads every store whose current version differs from the compiled one.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var current = await store.Policies.ListNamedStoresAsync(cancellationToken);
        foreach (var info in current)
        {
            if (_stores.TryGetValue(info.Name, out var compiled) && compiled.Version == info.Version)
            {
                continue;
            }

            var version = await store.Policies.GetNamedStoreAsync(info.Name, info.Version, cancellationToken);
            if (version is not null && CompiledNamedStore.Compile(version).Store is { } fresh)
            {
                Put(fresh);
            }
        }
    }
}
