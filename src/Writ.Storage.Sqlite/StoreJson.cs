using System.Text.Json;
using Writ.Core.Domain;

namespace Writ.Storage.Sqlite;

/// <summary>The JSON text of list and map columns.</summary>
internal static class StoreJson
{
    public static string WriteMethods(IReadOnlyList<AttestationMethod> methods) =>
        JsonSerializer.Serialize(methods.Select(WireName.Of).ToArray());

    public static IReadOnlyList<AttestationMethod> ReadMethods(string json) =>
        [.. (JsonSerializer.Deserialize<string[]>(json) ?? []).Select(ParseMethod)];

    public static string WriteMap(IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(map.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> ReadMap(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string WriteRules(IReadOnlyList<ClaimRule> rules) =>
        JsonSerializer.Serialize(rules.Select(r => new RuleJson(WriteMapObject(r.Claims), r.Agent)).ToArray());

    public static IReadOnlyList<ClaimRule> ReadRules(string json) =>
        [.. (JsonSerializer.Deserialize<RuleJson[]>(json) ?? []).Select(r => new ClaimRule(r.Claims, r.Agent))];

    private static SortedDictionary<string, string> WriteMapObject(IReadOnlyDictionary<string, string> map) =>
        new(map.ToDictionary(), StringComparer.Ordinal);

    private static AttestationMethod ParseMethod(string text) =>
        WireName.TryParse(text, out AttestationMethod method)
            ? method
            : throw new InvalidDataException($"unknown attestation method '{text}' in the database");

    internal sealed record RuleJson(SortedDictionary<string, string> Claims, string Agent);
}
