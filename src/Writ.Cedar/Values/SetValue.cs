using System.Text;

namespace Writ.Cedar.Values;

/// <summary>A Cedar set: unordered, without duplicates, compared as a set.</summary>
public sealed class SetValue : Value
{
    private const int LinearLimit = 8;

    /// <summary>The empty set.</summary>
    public static readonly SetValue Empty = new([], trusted: true);

    private readonly Value[] _items;
    private HashSet<Value>? _lookup;
    private int _hash;

    /// <summary>Creates a set from values; duplicates are removed.</summary>
    public SetValue(IEnumerable<Value> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var distinct = new HashSet<Value>();
        var list = new List<Value>();
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (distinct.Add(item))
            {
                list.Add(item);
            }
        }

        _items = [.. list];
        if (_items.Length > LinearLimit)
        {
            _lookup = distinct;
        }
    }

    private SetValue(Value[] distinctItems, bool trusted)
    {
        _ = trusted;
        _items = distinctItems;
    }

    /// <summary>The elements, in no particular order.</summary>
    public IReadOnlyList<Value> Items => _items;

    /// <summary>The number of elements.</summary>
    public int Count => _items.Length;

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Set;

    /// <summary>Creates a set from values already known to be distinct; the array is kept.</summary>
    internal static SetValue FromDistinct(Value[] items) => items.Length == 0 ? Empty : new SetValue(items, trusted: true);

    /// <summary>Whether the set holds <paramref name="value"/>.</summary>
    public bool Contains(Value value)
    {
        if (_items.Length <= LinearLimit)
        {
            foreach (var item in _items)
            {
                if (item.Equals(value))
                {
                    return true;
                }
            }

            return false;
        }

        var lookup = _lookup ??= new HashSet<Value>(_items);
        return lookup.Contains(value);
    }

    /// <summary>Whether every element of <paramref name="other"/> is in this set.</summary>
    public bool ContainsAll(SetValue other)
    {
        foreach (var item in other._items)
        {
            if (!Contains(item))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether some element of <paramref name="other"/> is in this set.</summary>
    public bool ContainsAny(SetValue other)
    {
        var (small, large) = other.Count <= Count ? (other, this) : (this, other);
        foreach (var item in small._items)
        {
            if (large.Contains(item))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is SetValue s && s.Count == Count && s.GetHashCode() == GetHashCode() && ContainsAll(s);
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            // Order-independent, so equal sets hash alike whatever their element order.
            var h = 17 + _items.Length;
            foreach (var item in _items)
            {
                h += item.GetHashCode() * 31;
            }

            _hash = h == 0 ? 1 : h;
        }

        return _hash;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(_items[i]);
        }

        return sb.Append(']').ToString();
    }
}
