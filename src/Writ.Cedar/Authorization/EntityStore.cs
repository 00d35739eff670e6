using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>
/// The entities of a request, indexed by reference, with each entity's transitive ancestors computed once
/// at construction (a cyclic hierarchy is rejected, as cedar does). Immutable and safe to share between requests.
/// A store may be layered over a base store (<see cref="Overlay"/>): the base is shared, not copied, and only
/// the overlay's entities are indexed when it is built.
/// </summary>
public sealed class EntityStore
{
    /// <summary>A store with no entities.</summary>
    public static readonly EntityStore Empty = new([]);

    private static readonly HashSet<EntityUid> NoAncestors = [];

    private readonly Dictionary<EntityUid, Entity> _entities;
    private readonly Dictionary<EntityUid, HashSet<EntityUid>> _ancestors;
    private readonly EntityStore? _base;
    private HashSet<EntityUid>? _unheldParents;

    /// <summary>
    /// Creates a store. Throws <see cref="ArgumentException"/> when an entity appears twice or the parent
    /// relation has a cycle (cedar requires a DAG), and
    /// <see cref="EntityLimitException"/> when the store exceeds <paramref name="limits"/> (default <see cref="EntityStoreLimits.Default"/>).
    /// </summary>
    public EntityStore(IEnumerable<Entity> entities, EntityStoreLimits? limits = null)
        : this(entities, null, limits)
    {
    }

    private EntityStore(IEnumerable<Entity> entities, EntityStore? baseStore, EntityStoreLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(entities);
        limits ??= EntityStoreLimits.Default;
        _base = baseStore;
        _entities = [];
        var unheld = baseStore?.UnheldParents();
        foreach (var e in entities)
        {
            if (!_entities.TryAdd(e.Uid, e) || (baseStore is not null && baseStore.Contains(e.Uid)))
            {
                throw new ArgumentException($"duplicate entity {e.Uid}", nameof(entities));
            }

            if (unheld is not null && unheld.Contains(e.Uid))
            {
                // The base's ancestor sets were computed without this entity; adding it would change them.
                throw new ArgumentException($"entity {e.Uid} is a parent named by the base store, so it cannot be added over it", nameof(entities));
            }

            if (_entities.Count > limits.MaxEntities)
            {
                throw new EntityLimitException($"more than {limits.MaxEntities} entities");
            }
        }

        _ancestors = new Dictionary<EntityUid, HashSet<EntityUid>>(_entities.Count);
        ComputeClosure(limits.MaxAncestorLinks);
    }

    /// <summary>The number of entities (with those of the base store, if any).</summary>
    public int Count => _entities.Count + (_base?.Count ?? 0);

    /// <summary>All entities (with those of the base store, if any).</summary>
    public IEnumerable<Entity> Entities => _base is null ? _entities.Values : _entities.Values.Concat(_base.Entities);

    /// <summary>Looks up an entity.</summary>
    public bool TryGet(EntityUid uid, [MaybeNullWhen(false)] out Entity entity) =>
        _entities.TryGetValue(uid, out entity) || (_base is not null && BaseTryGet(uid, out entity));

    /// <summary>Whether the store holds <paramref name="uid"/>.</summary>
    public bool Contains(EntityUid uid) => _entities.ContainsKey(uid) || (_base is not null && BaseContains(uid));

    /// <summary>The transitive ancestors of <paramref name="uid"/> (empty when the entity is unknown).</summary>
    public IReadOnlySet<EntityUid> AncestorsOf(EntityUid uid) => AncestorSet(uid);

    /// <summary>The ancestors as the concrete set, so callers enumerate without boxing.</summary>
    internal HashSet<EntityUid> AncestorSet(EntityUid uid) =>
        _ancestors.TryGetValue(uid, out var a) ? a : _base is null ? NoAncestors : BaseAncestorSet(uid);

    /// <summary>Cedar's <c>in</c> on two entities: equal, or <paramref name="ancestor"/> is a transitive ancestor.</summary>
    public bool IsIn(EntityUid uid, EntityUid ancestor) =>
        uid.Equals(ancestor) || AncestorSet(uid).Contains(ancestor);

    /// <summary>
    /// A store holding this store's entities and <paramref name="entities"/>, layered over this one instead of
    /// copying it: only the new entities are indexed, and this store stays shared (e.g. a schema's action
    /// entities under each request's own entities). A new entity may not repeat one of this store's, nor be a
    /// parent that this store's entities name without holding it (that would change their ancestors); either
    /// throws <see cref="ArgumentException"/>. <paramref name="limits"/> apply to the new entities.
    /// </summary>
    public EntityStore Overlay(IEnumerable<Entity> entities, EntityStoreLimits? limits = null) => new(entities, this, limits);

    /// <summary>A new store with <paramref name="extra"/> added (e.g. action entities from a schema); entities already present win.</summary>
    public EntityStore With(IEnumerable<Entity> extra)
    {
        var all = new Dictionary<EntityUid, Entity>(Count);
        foreach (var e in Entities)
        {
            all.TryAdd(e.Uid, e);
        }

        foreach (var e in extra)
        {
            all.TryAdd(e.Uid, e);
        }

        return new EntityStore(all.Values);
    }

    // The lookups that reach the base are kept out of line: a recursive call would stop the JIT from inlining
    // the lookups of a store without a base, which are on every policy's path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool BaseTryGet(EntityUid uid, [MaybeNullWhen(false)] out Entity entity) => _base!.TryGet(uid, out entity);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool BaseContains(EntityUid uid) => _base!.Contains(uid);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private HashSet<EntityUid> BaseAncestorSet(EntityUid uid) => _base!.AncestorSet(uid);

    /// <summary>The parents this store's entities name that it does not hold; computed once, on first overlay.</summary>
    private HashSet<EntityUid> UnheldParents()
    {
        if (Volatile.Read(ref _unheldParents) is { } known)
        {
            return known;
        }

        var unheld = new HashSet<EntityUid>();
        foreach (var e in Entities)
        {
            foreach (var p in e.Parents)
            {
                if (!Contains(p))
                {
                    unheld.Add(p);
                }
            }
        }

        // Racing threads compute equal sets; either may win.
        Volatile.Write(ref _unheldParents, unheld);
        return unheld;
    }

    private void ComputeClosure(long budget)
    {
        // Iterative DFS with memoisation; an entity on a cycle ends up among its own ancestors.
        long links = 0;
        var done = new Dictionary<EntityUid, HashSet<EntityUid>>(_entities.Count);
        var visited = new HashSet<EntityUid>();
        var stack = new Stack<EntityUid>();
        foreach (var (uid, entity) in _entities)
        {
            if (done.ContainsKey(uid))
            {
                continue;
            }

            if (entity.Parents.Count == 0)
            {
                done[uid] = NoAncestors;
                continue;
            }

            var result = new HashSet<EntityUid>();
            visited.Clear();
            visited.Add(uid);
            stack.Clear();
            foreach (var p in entity.Parents)
            {
                stack.Push(p);
            }

            while (stack.Count > 0)
            {
                var p = stack.Pop();
                if (!result.Add(p))
                {
                    continue;
                }

                if (done.TryGetValue(p, out var known))
                {
                    result.UnionWith(known);
                    continue;
                }

                if (_base is not null && !_entities.ContainsKey(p))
                {
                    // A base entity's ancestors are complete: none of them is in this layer.
                    result.UnionWith(_base.AncestorSet(p));
                    continue;
                }

                if (visited.Add(p) && _entities.TryGetValue(p, out var pe))
                {
                    foreach (var gp in pe.Parents)
                    {
                        if (!result.Contains(gp))
                        {
                            stack.Push(gp);
                        }
                    }
                }
            }

            if (result.Contains(uid))
            {
                // cedar requires the hierarchy to be acyclic and rejects such data.
                throw new ArgumentException($"the entity hierarchy has a cycle through {uid}");
            }

            links += result.Count;
            if (links > budget)
            {
                throw new EntityLimitException($"the entity hierarchy has more than {budget} ancestor links");
            }

            done[uid] = result;
        }

        foreach (var (uid, set) in done)
        {
            _ancestors[uid] = set;
        }
    }
}
