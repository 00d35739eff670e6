using Writ.Cedar.Values;

namespace Writ.Cedar.Extensions;

/// <summary>Parses <c>decimal</c> literals: <c>-?digits.digits</c> with one to four fractional digits, within 64 bits.</summary>
public static class DecimalParser
{
    /// <summary>Parses a decimal literal; returns null and a reason when it is not valid.</summary>
    public static DecimalValue? TryParse(string text, out string? error)
    {
        error = null;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || text.IndexOf('.', dot + 1) >= 0)
        {
            error = $"`{text}` is not a well-formed decimal value";
            return null;
        }

        var left = text.AsSpan(0, dot);
        var right = text.AsSpan(dot + 1);
        var negative = left.Length > 0 && left[0] == '-';
        var leftDigits = negative ? left[1..] : left;
        if (leftDigits.Length == 0 || right.Length == 0 || !AllDigits(leftDigits) || !AllDigits(right))
        {
            error = $"`{text}` is not a well-formed decimal value";
            return null;
        }

        if (right.Length > 4)
        {
            error = $"too many digits after the decimal point in `{text}`";
            return null;
        }

        Int128 l = 0;
        foreach (var c in leftDigits)
        {
            l = (l * 10) + (c - '0');
            if (l > (Int128)long.MaxValue + 1)
            {
                error = $"overflow while parsing decimal `{text}`";
                return null;
            }
        }

        Int128 r = 0;
        foreach (var c in right)
        {
            r = (r * 10) + (c - '0');
        }

        for (var i = right.Length; i < 4; i++)
        {
            r *= 10;
        }

        var total = negative ? (-l * 10_000) - r : (l * 10_000) + r;
        if (total < long.MinValue || total > long.MaxValue || (!negative && l > long.MaxValue))
        {
            error = $"overflow while parsing decimal `{text}`";
            return null;
        }

        return new DecimalValue((long)total);
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
