using System.Globalization;
using System.Xml;

namespace Writ.Core.Admin;

/// <summary>Parses the durations the admin API and configuration accept: ISO 8601 (<c>PT10M</c>) or whole seconds.</summary>
public static class Durations
{
    /// <summary>Parses <paramref name="text"/>; false when it is neither ISO 8601 nor a whole number of seconds, or not positive.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds is <= 0 or > 10L * 365 * 24 * 3600)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (text[0] is 'P' or 'p')
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text.ToUpperInvariant());
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }

            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
