using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Schema;

public sealed class SchemaEntitiesTests
{
    private static readonly CedarSchema Schema = CedarSchema.Parse("""
        entity Group in [Group];
        entity User in [Group] { boss?: User, ip: ipaddr, score: decimal, when: datetime, friends: Set<User>, info: { age: Long } } tags decimal;
        entity Kind enum ["a"];
        action all;
        action read in [all] appliesTo { principal: User, resource: Group, context: { src: ipaddr, d?: duration } };
        """);

    private const string Alice = """
        { "uid": { "type": "User", "id": "alice" }, "parents": [{ "type": "Group", "id": "g" }],
          "attrs": { "boss": { "type": "User", "id": "bob" }, "ip": "10.0.0.1", "score": { "__extn": { "fn": "decimal", "arg": "1.5" } },
                     "when": "2024-01-01", "friends": [{ "__entity": { "type": "User", "id": "bob" } }], "info": { "age": 3 } },
          "tags": { "t": "0.25" } }
        """;

    [Fact]
    public void Entities_UseImplicitEntityAndExtensionValues()
    {
        var entities = SchemaEntities.ParseEntities($"[{Alice}]", Schema);

        var alice = entities.Single(e => e.Uid.Equals(new EntityUid("User", "alice")));
        Assert.Equal(new EntityUid("User", "bob"), alice.Attributes.Fields["boss"]);
        Assert.IsType<IpAddrValue>(alice.Attributes.Fields["ip"]);
        Assert.IsType<DecimalValue>(alice.Attributes.Fields["score"]);
        Assert.IsType<DatetimeValue>(alice.Attributes.Fields["when"]);
        Assert.IsType<DecimalValue>(alice.Tags["t"]);
        Assert.Equal([new EntityUid("Group", "g")], alice.Parents);
    }

    [Fact]
    public void ActionEntities_ComeFromTheSchema_WithTheirHierarchy()
    {
        var entities = SchemaEntities.ParseEntities("[]", Schema);

        var read = entities.Single(e => e.Uid.Equals(new EntityUid("Action", "read")));
        Assert.Equal([new EntityUid("Action", "all")], read.Parents);
        Assert.Contains(entities, e => e.Uid.Equals(new EntityUid("Action", "all")));
    }

    [Theory]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [] } }]""", "info")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": 1 }, "x": 1 } }]""", "not declared")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": "nope", "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": 1 } } }]""", "ip")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": "1" } } }]""", "Long")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [{ "type": "Group", "id": "g" }], "info": { "age": 1 } } }]""", "User")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": { "__extn": { "fn": "decimal", "arg": "1.0" } }, "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": 1 } } }]""", "ipaddr")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "parents": [], "attrs": { "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": 1 } }, "tags": { "t": 5 } }]""", "tag")]
    [InlineData("""[{ "uid": { "type": "Nope", "id": "a" }, "parents": [], "attrs": {} }]""", "not declared")]
    [InlineData("""[{ "uid": { "type": "Kind", "id": "b" }, "parents": [], "attrs": {} }]""", "enumerated")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "parents": [{ "type": "User", "id": "u" }], "attrs": {} }]""", "parent")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "parents": [], "attrs": {}, "tags": { "a": 1 } }]""", "tags")]
    [InlineData("""[{ "uid": { "type": "Action", "id": "read" }, "parents": [], "attrs": {} }]""", "differs")]
    [InlineData("""[{ "uid": { "type": "User", "id": "a" }, "attrs": { "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": 1 } }, "parents": [{ "type": "Action", "id": "read" }] }]""", "parent")]
    [InlineData("""[{ "uid": { "type": "Action", "id": "nope" }, "parents": [], "attrs": {} }]""", "not declared")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "parents": [], "attrs": {} }, { "uid": { "type": "Group", "id": "g" }, "parents": [], "attrs": {} }]""", "twice")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "parents": [] }]""", "attrs")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "parents": [{ "type": "Group", "id": "h" }], "attrs": {} }, { "uid": { "type": "Group", "id": "h" }, "parents": [{ "type": "Group", "id": "g" }], "attrs": {} }]""", "cycle")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "parents": [{ "type": "Group", "id": "g" }], "attrs": {} }]""", "cycle")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "attrs": {} }]""", "parents")]
    [InlineData("""[{ "uid": { "type": "Group", "id": "g" }, "attrs": {}, "attrs": {}, "parents": [] }]""", "duplicate")]
    public void NonConformingEntity_IsRejected(string json, string expected)
    {
        var e = Assert.Throws<SchemaConformanceException>(() => SchemaEntities.ParseEntities(json, Schema));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionEntitiesInData_MatchingTheSchema_AreAccepted()
    {
        var entities = SchemaEntities.ParseEntities("""
            [{ "uid": { "type": "Action", "id": "read" }, "parents": [{ "type": "Action", "id": "all" }], "attrs": {} },
             { "uid": { "type": "Action", "id": "all" }, "parents": [], "attrs": {} }]
            """, Schema);

        Assert.Contains(entities, e => e.Uid.Equals(new EntityUid("Action", "read")));
    }

    [Fact]
    public void DuplicateKeyInEntityAttributes_IsRejected_AsInCedar()
    {
        var e = Assert.Throws<SchemaConformanceException>(() => SchemaEntities.ParseEntities("""
            [{ "uid": { "type": "User", "id": "a" }, "parents": [], "unknown": 1,
               "attrs": { "ip": "10.0.0.2", "ip": "10.0.0.1", "score": "1.0", "when": "2024-01-01", "friends": [], "info": { "age": 1 } } }]
            """, Schema));
        Assert.Contains("duplicate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeyInContext_KeepsTheLastValue_AsInCedar()
    {
        var context = SchemaEntities.ParseContext("""{ "src": "not an ip", "src": "10.0.0.1" }""", Schema, new EntityUid("Action", "read"));

        Assert.IsType<IpAddrValue>(context.Fields["src"]);
    }

    [Fact]
    public void ContextWithWrongPrimitiveType_IsRead_ButFailsRequestValidation()
    {
        var schema = CedarSchema.Parse("entity U; action go appliesTo { principal: U, resource: U, context: { n: Long, u?: U } };");
        var action = new EntityUid("Action", "go");
        var context = SchemaEntities.ParseContext("""{ "n": true, "u": { "type": "Other", "id": "x" } }""", schema, action);

        var request = new Writ.Cedar.Authorization.Request(new EntityUid("U", "a"), action, new EntityUid("U", "b"), context);

        Assert.Equal(BoolValue.Of(true), context.Fields["n"]);
        Assert.NotEmpty(Writ.Cedar.Validation.RequestValidator.Validate(request, schema));
    }

    [Fact]
    public void Context_UsesTheActionsContextType()
    {
        var context = SchemaEntities.ParseContext("""{ "src": "192.168.0.1/24", "d": "1h" }""", Schema, new EntityUid("Action", "read"));

        Assert.IsType<IpAddrValue>(context.Fields["src"]);
        Assert.IsType<DurationValue>(context.Fields["d"]);
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "src": "10.0.0.1", "other": 1 }""")]
    [InlineData("""{ "src": "not an ip" }""")]
    [InlineData("""{ "src": "10.0.0.1", "d": [] , "x": 1 }""")]
    public void NonConformingContext_IsRejected(string json) =>
        Assert.Throws<SchemaConformanceException>(() => SchemaEntities.ParseContext(json, Schema, new EntityUid("Action", "read")));

    [Fact]
    public void ContextForUndeclaredAction_IsRejected() =>
        Assert.Throws<SchemaConformanceException>(() => SchemaEntities.ParseContext("{}", Schema, new EntityUid("Action", "nope")));
}
