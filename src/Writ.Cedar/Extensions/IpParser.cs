using Writ.Cedar.Values;

namespace Writ.Cedar.Extensions;

/// <summary>
/// Parses <c>ip</c> literals: IPv4 dotted quads without leading zeros, IPv6 hex groups with at most one <c>::</c>
/// (no embedded IPv4, no zone), each with an optional <c>/prefix</c>.
/// </summary>
public static class IpParser
{
    /// <summary>Parses an address or range; returns null when it is not valid.</summary>
    public static IpAddrValue? TryParse(string text) => TryParseV4(text) ?? TryParseV6(text);

    private static IpAddrValue? TryParseV4(string text)
    {
        var parts = text.Split('/');
        if (parts.Length > 2)
        {
            return null;
        }

        var prefix = 32;
        if (parts.Length == 2 && !TryPrefix(parts[1], 2, 32, out prefix))
        {
            return null;
        }

        var octets = parts[0].Split('.');
        if (octets.Length != 4)
        {
            return null;
        }

        uint addr = 0;
        foreach (var o in octets)
        {
            if (o.Length is 0 or > 3 || (o.Length > 1 && o[0] == '0') || !AllDigits(o))
            {
                return null;
            }

            var n = int.Parse(o, System.Globalization.CultureInfo.InvariantCulture);
            if (n > 255)
            {
                return null;
            }

            addr = (addr << 8) | (uint)n;
        }

        return new IpAddrValue(true, addr, prefix);
    }

    private static IpAddrValue? TryParseV6(string text)
    {
        var parts = text.Split('/');
        if (parts.Length > 2)
        {
            return null;
        }

        var prefix = 128;
        if (parts.Length == 2 && !TryPrefix(parts[1], 3, 128, out prefix))
        {
            return null;
        }

        var addrText = parts[0];
        var halves = addrText.Split("::");
        List<ushort>? groups;
        if (halves.Length == 1)
        {
            groups = ParseGroups(halves[0]);
            if (groups is null || groups.Count != 8)
            {
                return null;
            }
        }
        else if (halves.Length == 2)
        {
            var a = ParseGroups(halves[0]);
            var b = ParseGroups(halves[1]);
            if (a is null || b is null || a.Count + b.Count >= 8)
            {
                return null;
            }

            groups = [.. a];
            for (var i = a.Count + b.Count; i < 8; i++)
            {
                groups.Add(0);
            }

            groups.AddRange(b);
        }
        else
        {
            return null;
        }

        UInt128 addr = 0;
        foreach (var g in groups)
        {
            addr = (addr << 16) | g;
        }

        return new IpAddrValue(false, addr, prefix);
    }

    private static List<ushort>? ParseGroups(string s)
    {
        var result = new List<ushort>();
        if (s.Length == 0)
        {
            return result;
        }

        foreach (var g in s.Split(':'))
        {
            if (g.Length is 0 or > 4)
            {
                return null;
            }

            var v = 0;
            foreach (var c in g)
            {
                var d = c switch
                {
                    >= '0' and <= '9' => c - '0',
                    >= 'a' and <= 'f' => c - 'a' + 10,
                    >= 'A' and <= 'F' => c - 'A' + 10,
                    _ => -1,
                };
                if (d < 0)
                {
                    return null;
                }

                v = (v * 16) + d;
            }

            result.Add((ushort)v);
        }

        return result;
    }

    private static bool TryPrefix(string s, int maxDigits, int max, out int prefix)
    {
        prefix = 0;
        if (s.Length == 0 || s.Length > maxDigits || (s.Length > 1 && s[0] == '0') || !AllDigits(s))
        {
            return false;
        }

        prefix = int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return prefix <= max;
    }

    private static bool AllDigits(string s)
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
