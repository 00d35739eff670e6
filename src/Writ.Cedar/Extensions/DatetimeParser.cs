using Writ.Cedar.Values;

namespace Writ.Cedar.Extensions;

/// <summary>
/// Parses <c>datetime</c> literals (<c>YYYY-MM-DD</c>, optionally <c>Thh:mm:ss</c>, optional <c>.SSS</c>, then <c>Z</c>
/// or <c>+hhmm</c>/<c>-hhmm</c>) and <c>duration</c> literals (<c>-?</c> then quantities with units d, h, m, s, ms in that order).
/// </summary>
public static class DatetimeParser
{
    private const long MsPerDay = 86_400_000;

    /// <summary>Parses a datetime literal; returns null when it is not valid.</summary>
    public static DatetimeValue? TryParseDatetime(string s)
    {
        if (s.Length < 10 || !Digits(s, 0, 4) || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' || !Digits(s, 8, 2))
        {
            return null;
        }

        var year = Num(s, 0, 4);
        var month = Num(s, 5, 2);
        var day = Num(s, 8, 2);
        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return null;
        }

        var days = DaysFromCivil(year, month, day);
        if (s.Length == 10)
        {
            return new DatetimeValue(days * MsPerDay);
        }

        if (s.Length < 19 || s[10] != 'T' || !Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2) || s[16] != ':' || !Digits(s, 17, 2))
        {
            return null;
        }

        var h = Num(s, 11, 2);
        var mi = Num(s, 14, 2);
        var sec = Num(s, 17, 2);
        var pos = 19;
        var ms = 0;
        if (pos < s.Length && s[pos] == '.')
        {
            if (!Digits(s, pos + 1, 3))
            {
                return null;
            }

            ms = Num(s, pos + 1, 3);
            pos += 4;
        }

        long offsetSeconds;
        if (pos < s.Length && s[pos] == 'Z' && pos + 1 == s.Length)
        {
            offsetSeconds = 0;
        }
        else if (pos < s.Length && s[pos] is '+' or '-' && pos + 5 == s.Length && Digits(s, pos + 1, 4))
        {
            var oh = Num(s, pos + 1, 2);
            var om = Num(s, pos + 3, 2);
            if (h is > 23 || mi > 59 || sec > 59)
            {
                return null;
            }

            if (oh >= 24 || om >= 60)
            {
                return null;
            }

            offsetSeconds = ((oh * 3600) + (om * 60)) * (s[pos] == '+' ? 1 : -1);
        }
        else
        {
            return null;
        }

        if (h > 23 || mi > 59 || sec > 59)
        {
            return null;
        }

        var total = (days * MsPerDay) + (((h * 3600L) + (mi * 60L) + sec - offsetSeconds) * 1000L) + ms;
        return new DatetimeValue(total);
    }

    /// <summary>Parses a duration literal; returns null when it is not valid or out of range.</summary>
    public static DurationValue? TryParseDuration(string s)
    {
        if (s.Length == 0 || s == "-")
        {
            return null;
        }

        var pos = 0;
        var negative = s[0] == '-';
        if (negative)
        {
            pos = 1;
        }

        // Units in the only allowed order; each may appear at most once.
        ReadOnlySpan<long> factors = [MsPerDay, 3_600_000, 60_000, 1_000, 1];
        var nextUnit = 0;
        Int128 total = 0;
        while (pos < s.Length)
        {
            var start = pos;
            while (pos < s.Length && s[pos] is >= '0' and <= '9')
            {
                pos++;
            }

            if (pos == start || pos - start > 20)
            {
                return null;
            }

            if (!ulong.TryParse(s.AsSpan(start, pos - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return null;
            }

            int unit;
            if (pos + 1 < s.Length && s[pos] == 'm' && s[pos + 1] == 's')
            {
                unit = 4;
                pos += 2;
            }
            else if (pos < s.Length)
            {
                unit = s[pos] switch { 'd' => 0, 'h' => 1, 'm' => 2, 's' => 3, _ => -1 };
                pos++;
            }
            else
            {
                return null;
            }

            if (unit < nextUnit)
            {
                return null;
            }

            nextUnit = unit + 1;
            if (n > long.MaxValue)
            {
                return null;
            }

            total += (Int128)n * factors[unit];
        }

        if (negative)
        {
            total = -total;
        }

        return total < long.MinValue || total > long.MaxValue ? null : new DurationValue((long)total);
    }

    private static bool Digits(string s, int start, int count)
    {
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (s[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static int Num(string s, int start, int count)
    {
        var n = 0;
        for (var i = start; i < start + count; i++)
        {
            n = (n * 10) + (s[i] - '0');
        }

        return n;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    // Days since 1970-01-01 in the proleptic Gregorian calendar (valid for year 0 too).
    private static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var mp = (m + 9) % 12;
        var doy = ((153 * mp) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097L) + doe - 719468;
    }
}
