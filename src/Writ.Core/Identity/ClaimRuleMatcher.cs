using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Domain;

namespace Writ.Core.Identity;

/// <summary>
/// Maps a validated external token to an agent: rules are tried in order and the first whose every
/// claim is present with exactly the required value wins. Strings compare ordinally; numbers and
/// booleans by their JSON text; arrays and objects never match.
/// </summary>
internal static class ClaimRuleMatcher
{
    public static string? Match(JsonWebToken token, IReadOnlyList<ClaimRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Claims.All(required => Matches(token, required.Key, required.Value)))
            {
                return rule.Agent;
            }
        }

        return null;
    }

    private static bool Matches(JsonWebToken token, string claim, string required)
    {
        if (!token.TryGetPayloadValue<object>(claim, out var value) || value is null)
        {
            return false;
        }

        var text = value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long or int or double or decimal => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e => e.GetRawText(),
            _ => null,
        };
        return text is not null && string.Equals(text, required, StringComparison.Ordinal);
    }
}
