using System.Text;
using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;

namespace Writ.Cedar.Tests.Validation;

public sealed class HostileSchemaTests
{
    [Fact]
    public void ExponentiallyLargeCommonTypes_AreComparedInBoundedTime()
    {
        // T60 unfolds to 2^60 leaves; validation must still be quick because shared types are compared by identity.
        var sb = new StringBuilder("type T0 = Long;\n");
        for (var i = 1; i <= 60; i++)
        {
            sb.Append($"type T{i} = {{ a: T{i - 1}, b: T{i - 1} }};\n");
        }

        sb.Append("entity U { x: T60, y: T60 };\naction go appliesTo { principal: U, resource: U };\n");
        var schema = CedarSchema.Parse(sb.ToString());
        var policies = PolicyParser.ParsePolicies("permit(principal, action, resource) when { principal.x == resource.y && [principal.x, resource.x].contains(principal.y) };");

        var result = PolicyValidator.Validate(policies, schema);

        Assert.True(result.Passed, string.Join("\n", result.Errors));
        Assert.True(schema.GetEntityType(new Values.EntityType("U"))!.Attributes.ToString().Length < 1000);
    }

    [Fact]
    public void SchemaWithMillionsOfRequestEnvironments_StopsAtTheLimit()
    {
        var types = Enumerable.Range(0, 300).Select(i => $"T{i}").ToList();
        var sb = new StringBuilder();
        foreach (var t in types)
        {
            sb.Append($"entity {t};\n");
        }

        for (var a = 0; a < 20; a++)
        {
            sb.Append($"action a{a} appliesTo {{ principal: [{string.Join(", ", types)}], resource: [{string.Join(", ", types)}] }};\n");
        }

        var schema = CedarSchema.Parse(sb.ToString());
        var policies = PolicyParser.ParsePolicies("permit(principal, action, resource);");

        var limited = PolicyValidator.Validate(policies, schema, new ValidationOptions { MaxRequestEnvironments = 10_000 });

        Assert.Contains(limited.Errors, e => e.Kind == ValidationIssueKind.TooManyRequestEnvironments);
    }

    [Fact]
    public void RecordWithManyAttributes_IsParsedInLinearTime()
    {
        var sb = new StringBuilder("entity E {");
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append($" a{i}: Long,");
        }

        sb.Append(" };");

        var schema = CedarSchema.Parse(sb.ToString());

        Assert.Equal(100_000, schema.GetEntityType(new Values.EntityType("E"))!.Attributes.Attributes.Count);
    }

    [Fact]
    public void DeepEntityHierarchy_BeyondTheLimit_IsRejected()
    {
        var sb = new StringBuilder("entity T0;\n");
        for (var i = 1; i < 20_000; i++)
        {
            sb.Append($"entity T{i} in [T{i - 1}];\n");
        }

        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.Parse(sb.ToString()));
        Assert.Contains("MaxHierarchyPairs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CyclicCommonTypes_AreRejected() =>
        Assert.Throws<SchemaParseException>(() => CedarSchema.Parse("type A = B; type B = A; entity E { a: A };"));

    [Fact]
    public void UnterminatedString_IsRejected() =>
        Assert.Throws<SchemaParseException>(() => CedarSchema.Parse("entity E enum [\"abc"));

    [Fact]
    public void InvalidUnicodeEscape_IsRejected() =>
        Assert.Throws<SchemaParseException>(() => CedarSchema.Parse("entity E enum [\"\\u{D800}\"];"));
}
