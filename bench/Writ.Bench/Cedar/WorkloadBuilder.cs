namespace Writ.Bench.Cedar;

/// <summary>
/// Shared plumbing for the generators: a seeded random source, the entity graph in insertion order and
/// the computation of each request's entity slice.
/// </summary>
internal sealed class WorkloadBuilder(int seed)
{
    /// <summary>How many attribute hops from the request's entities a slice follows (issue → repo → role group).</summary>
    private const int AttributeHops = 2;

    private readonly Dictionary<GenUid, GenEntity> _entities = [];
    private readonly List<GenEntity> _order = [];

    public Random Random { get; } = new(seed);

    public IReadOnlyList<GenEntity> Entities => _order;

    public GenEntity Add(string type, string id)
    {
        var e = new GenEntity(new GenUid(type, id));
        _entities.Add(e.Uid, e);
        _order.Add(e);
        return e;
    }

    public GenEntity Get(GenUid uid) => _entities[uid];

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public bool Chance(double p) => Random.NextDouble() < p;

    /// <summary>Distinct items, picked at random (fewer when the list is short).</summary>
    public List<T> PickDistinct<T>(IReadOnlyList<T> items, int count)
    {
        var result = new List<T>(count);
        var guard = 0;
        while (result.Count < Math.Min(count, items.Count) && guard++ < count * 20)
        {
            var item = Pick(items);
            if (!result.Contains(item))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>
    /// The request with its slice: the principal, action, resource and entities named in the context, the
    /// entities their attributes reference (up to <see cref="AttributeHops"/> hops), and every ancestor of those.
    /// </summary>
    public GenRequest WithSlice(GenRequest request)
    {
        var wanted = new HashSet<GenUid>();
        var frontier = new List<GenUid> { request.Principal, request.Action, request.Resource };
        CollectRefs(request.Context, frontier);
        for (var hop = 0; hop <= AttributeHops && frontier.Count > 0; hop++)
        {
            var next = new List<GenUid>();
            foreach (var uid in frontier)
            {
                if (wanted.Add(uid) && _entities.TryGetValue(uid, out var e))
                {
                    CollectRefs(e.Attrs, next);
                }
            }

            frontier = next;
        }

        var stack = new Stack<GenUid>(wanted);
        while (stack.Count > 0)
        {
            if (_entities.TryGetValue(stack.Pop(), out var e))
            {
                foreach (var p in e.Parents)
                {
                    if (wanted.Add(p))
                    {
                        stack.Push(p);
                    }
                }
            }
        }

        var slice = _order.Where(e => wanted.Contains(e.Uid)).ToList();
        return request with { Slice = slice };
    }

    private static void CollectRefs(object value, List<GenUid> into)
    {
        switch (value)
        {
            case GenUid u:
                into.Add(u);
                break;
            case List<object> set:
                foreach (var item in set)
                {
                    CollectRefs(item, into);
                }

                break;
            case SortedDictionary<string, object> record:
                foreach (var item in record.Values)
                {
                    CollectRefs(item, into);
                }

                break;
            default:
                break;
        }
    }
}
