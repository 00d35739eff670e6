using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Writ.Cedar.Values;

/// <summary>A Cedar record: named fields, compared field by field regardless of order.</summary>
public sealed class RecordValue : Value
{
    /// <summary>The empty record.</summary>
    public static readonly RecordValue Empty = new(new Dictionary<string, Value>(StringComparer.Ordinal), trusted: true);

    private readonly Dictionary<string, Value> _fields;
    private string[]? _sortedKeys;
    private int _hash;

    /// <summary>Creates a record. Duplicate field names are rejected.</summary>
    public RecordValue(IEnumerable<KeyValuePair<string, Value>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            if (!_fields.TryAdd(key, value))
            {
                throw new ArgumentException($"duplicate record field {CedarText.Quote(key)}", nameof(fields));
            }
        }
    }

    private RecordValue(Dictionary<string, Value> fields, bool trusted)
    {
        _ = trusted;
        _fields = fields;
    }

    /// <summary>The fields.</summary>
    public IReadOnlyDictionary<string, Value> Fields => _fields;

    /// <summary>The field names in ordinal order.</summary>
    public IReadOnlyList<string> SortedKeys
    {
        get
        {
            if (_sortedKeys is null)
            {
                var keys = _fields.Keys.ToArray();
                Array.Sort(keys, StringComparer.Ordinal);
                _sortedKeys = keys;
            }

            return _sortedKeys;
        }
    }

    /// <summary>The number of fields.</summary>
    public int Count => _fields.Count;

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Record;

    /// <summary>Wraps a dictionary the caller will not change again (ordinal keys).</summary>
    internal static RecordValue FromOwned(Dictionary<string, Value> fields) => new(fields, trusted: true);

    /// <summary>Looks up a field.</summary>
    public bool TryGetValue(string name, [MaybeNullWhen(false)] out Value value) => _fields.TryGetValue(name, out value);

    /// <summary>Whether the record has the field <paramref name="name"/>.</summary>
    public bool ContainsKey(string name) => _fields.ContainsKey(name);

    /// <inheritdoc />
    public override bool Equals(Value? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not RecordValue r || r.Count != Count || r.GetHashCode() != GetHashCode())
        {
            return false;
        }

        foreach (var (key, value) in _fields)
        {
            if (!r._fields.TryGetValue(key, out var v) || !v.Equals(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var h = 23 + _fields.Count;
            foreach (var (key, value) in _fields)
            {
                h += StringComparer.Ordinal.GetHashCode(key) ^ (value.GetHashCode() * 17);
            }

            _hash = h == 0 ? 1 : h;
        }

        return _hash;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var key in SortedKeys)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            CedarText.AppendQuoted(sb, key);
            sb.Append(": ").Append(_fields[key]);
        }

        return sb.Append('}').ToString();
    }
}
