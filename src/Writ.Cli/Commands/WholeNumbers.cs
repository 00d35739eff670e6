using System.CommandLine.Parsing;
using System.Globalization;

namespace Writ.Cli.Commands;

// Parsers for numeric arguments and options whose errors say what was expected and where to find a
// valid value, instead of naming a .NET type ("Cannot parse argument 'abc' ... as System.Int64").
internal static class WholeNumbers
{
    public static Func<ArgumentResult, long> Long(string what, string hint) =>
        result => TryParse(result, what, hint, out var value) ? value : 0;

    public static Func<ArgumentResult, long?> OptionalLong(string what, string hint) =>
        result => TryParse(result, what, hint, out var value) ? value : null;

    public static Func<ArgumentResult, int?> OptionalInt(string what, string hint) =>
        result => TryParse(result, what, hint, out var value) && value <= int.MaxValue ? (int)value : null;

    private static bool TryParse(ArgumentResult result, string what, string hint, out long value)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= int.MaxValue * 1024L * 1024L)
        {
            return true;
        }

        result.AddError($"'{text}' is not {what}: give a whole number, {hint}.");
        value = 0;
        return false;
    }
}
