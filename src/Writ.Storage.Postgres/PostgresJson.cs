using System.Text.Json;
using Writ.Core.Domain;

namespace Writ.Storage.Postgres;

/// <summary>The JSON of list and map columns (the same shapes the SQLite provider stores).</summary>
internal static class PostgresJson
{
    public static JsonText WriteMethods(IReadOnlyList<AttestationMethod> methods) =>
        new(JsonSerializer.Serialize(methods.Select(WireName.Of).ToArray()));

    public static IReadOnlyList<AttestationMethod> ReadMethods(string json) =>
        [.. (JsonSerializer.Deserialize<string[]>(json) ?? []).Select(ParseMethod)];

    public static JsonText WriteMap(IReadOnlyDictionary<string, string> map) =>
        new(JsonSerializer.Serialize(Sorted(map)));

    public static IReadOnlyDictionary<string, string> ReadMap(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static JsonText WriteRules(IReadOnlyList<ClaimRule> rules) =>
        new(JsonSerializer.Serialize(rules.Select(r => new StoredRule(Sorted(r.Claims), r.Agent)).ToArray()));

    public static IReadOnlyList<ClaimRule> ReadRules(string json) =>
        [.. (JsonSerializer.Deserialize<StoredRule[]>(json) ?? []).Select(r => new ClaimRule(r.Claims, r.Agent))];

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> map) =>
        new(map.ToDictionary(), StringComparer.Ordinal);

    private static AttestationMethod ParseMethod(string text) =>
        WireName.TryParse(text, out AttestationMethod method)
            ? method
            : throw new InvalidDataException($"unknown attestation method '{text}' in the database");

    internal sealed record StoredRule(SortedDictionary<string, string> Claims, string Agent);
}
