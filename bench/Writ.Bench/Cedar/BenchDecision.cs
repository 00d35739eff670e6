using System.Text.Json.Serialization;
using Writ.Cedar.Authorization;

namespace Writ.Bench.Cedar;

/// <summary>What both engines must agree on for a request: the decision and the sorted ids of determining and erroring policies.</summary>
internal sealed record BenchDecision(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("reasons")] string[] Reasons,
    [property: JsonPropertyName("errors")] string[] Errors)
{
    public static BenchDecision Of(Response r) => new(
        r.IsAllowed ? "allow" : "deny",
        [.. r.Reasons.Order(StringComparer.Ordinal)],
        [.. r.Errors.Select(e => e.PolicyId).Order(StringComparer.Ordinal)]);

    public bool SameAs(BenchDecision other) =>
        Decision == other.Decision && Reasons.SequenceEqual(other.Reasons) && Errors.SequenceEqual(other.Errors);

    public override string ToString() => $"{Decision} reasons=[{string.Join(",", Reasons)}] errors=[{string.Join(",", Errors)}]";
}
