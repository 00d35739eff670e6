using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace Writ.Core.Audit;

// The writer behind AuditRecordEncoding: every byte it emits is fixed by the documented rules.
internal readonly ref struct CanonicalJsonWriter(IBufferWriter<byte> output)
{
    // Strings up to this many UTF-16 units are transcoded on the stack (at most 3 bytes per unit).
    private const int StackLimit = 256;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    public void Raw(ReadOnlySpan<byte> bytes) => output.Write(bytes);

    public void Time(DateTime utc, string format)
    {
        var span = output.GetSpan(32);
        if (!utc.TryFormat(span, out var written, format, System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new AuditRecordFormatException("the time cannot be formatted");
        }

        output.Advance(written);
    }

    public void Integer(long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    public void String(string value)
    {
        if (value.Length > StackLimit)
        {
            Utf8String(AuditRecordEncoding.StrictUtf8(value));
            return;
        }

        Span<byte> utf8 = stackalloc byte[value.Length * 3];
        if (Utf8.FromUtf16(value, utf8, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            throw new AuditRecordFormatException("a string is not valid UTF-16 (lone surrogate)");
        }

        Utf8String(utf8[..written]);
    }

    public void Utf8String(ReadOnlySpan<byte> utf8)
    {
        Raw("\""u8);
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
            {
                continue;
            }

            Raw(utf8[start..i]);
            start = i + 1;
            switch (b)
            {
                case (byte)'"': Raw("\\\""u8); break;
                case (byte)'\\': Raw("\\\\"u8); break;
                case 0x08: Raw("\\b"u8); break;
                case 0x09: Raw("\\t"u8); break;
                case 0x0A: Raw("\\n"u8); break;
                case 0x0C: Raw("\\f"u8); break;
                case 0x0D: Raw("\\r"u8); break;
                default:
                    Raw("\\u00"u8);
                    Raw([Hex[b >> 4], Hex[b & 0xF]]);
                    break;
            }
        }

        Raw(utf8[start..]);
        Raw("\""u8);
    }

    public void OptionalString(ReadOnlySpan<byte> keyPrefix, string? value)
    {
        if (value is null)
        {
            return;
        }

        Raw(keyPrefix);
        String(value);
    }

    public void OptionalList(ReadOnlySpan<byte> keyPrefix, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            return;
        }

        Raw(keyPrefix);
        Raw("["u8);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                Raw(","u8);
            }

            String(items[i] ?? throw new AuditRecordFormatException("a list item is null"));
        }

        Raw("]"u8);
    }

    public void OptionalMap(ReadOnlySpan<byte> keyPrefix, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }

        Raw(keyPrefix);
        Raw("{"u8);
        var entries = new (byte[] Key, string Value)[map.Count];
        var n = 0;
        foreach (var (key, value) in map)
        {
            entries[n++] = (AuditRecordEncoding.StrictUtf8(key ?? throw new AuditRecordFormatException("a detail key is null")), value ?? throw new AuditRecordFormatException($"the detail value of '{key}' is null"));
        }

        // UTF-8 byte order equals Unicode code point order, which any language can reproduce.
        Array.Sort(entries, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > 0)
            {
                Raw(","u8);
            }

            Utf8String(entries[i].Key);
            Raw(":"u8);
            String(entries[i].Value);
        }

        Raw("}"u8);
    }
}
