using System.Text;

namespace Writ.Server.Http;

/// <summary>
/// Strict <c>application/x-www-form-urlencoded</c> parsing for the token service: a parameter given twice,
/// bad percent-encoding or invalid UTF-8 is an error (RFC 6749 §3.1), and empty values count as absent.
/// </summary>
internal static class FormParser
{
    private const int MaxParameters = 32;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static FormParseResult Parse(ReadOnlySpan<byte> body)
    {
        // Every parameter goes in, empty ones too, so the one map also finds a parameter given twice.
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var empty = false;
        var count = 0;
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'&');
            var pair = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (++count > MaxParameters)
            {
                return FormParseResult.Fail("the form has too many parameters");
            }

            var eq = pair.IndexOf((byte)'=');
            if (eq <= 0)
            {
                return FormParseResult.Fail("the form has a parameter without a name or '='");
            }

            if (!TryDecode(pair[..eq], out var name) || !TryDecode(pair[(eq + 1)..], out var value))
            {
                return FormParseResult.Fail("the form is not valid percent-encoded UTF-8");
            }

            if (!values.TryAdd(name, value))
            {
                return FormParseResult.Fail($"parameter '{Sanitize(name)}' is given more than once");
            }

            empty |= value.Length == 0;
        }

        if (empty)
        {
            foreach (var (name, value) in values)
            {
                if (value.Length == 0)
                {
                    values.Remove(name);
                }
            }
        }

        return new FormParseResult(values, null);
    }

    private static bool TryDecode(ReadOnlySpan<byte> encoded, out string text)
    {
        text = string.Empty;
        if (encoded.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            // Nothing to unescape (base64url assertions, grant type names): decode the bytes as they are.
            return TryGetText(encoded, out text);
        }

        var bytes = new byte[encoded.Length];
        var n = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == '+')
            {
                bytes[n++] = (byte)' ';
            }
            else if (b == '%')
            {
                if (i + 2 >= encoded.Length || HexValue(encoded[i + 1]) is not int hi || HexValue(encoded[i + 2]) is not int lo)
                {
                    return false;
                }

                bytes[n++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else
            {
                bytes[n++] = b;
            }
        }

        return TryGetText(bytes.AsSpan(0, n), out text);
    }

    /// <summary>Strict UTF-8 without control characters (C0, DEL and C1, as <see cref="char.IsControl(char)"/>).</summary>
    private static bool TryGetText(ReadOnlySpan<byte> utf8, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }

        var chars = text.AsSpan();
        return !chars.ContainsAnyInRange('\u0000', '\u001f') && !chars.ContainsAnyInRange('\u007f', '\u009f');
    }

    private static int? HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => null,
    };

    /// <summary>Error text echoes only a bounded, printable part of what the caller sent.</summary>
    internal static string Sanitize(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

internal sealed record FormParseResult(IReadOnlyDictionary<string, string> Values, string? Error)
{
    public static FormParseResult Fail(string error) => new(new Dictionary<string, string>(), error);
}
