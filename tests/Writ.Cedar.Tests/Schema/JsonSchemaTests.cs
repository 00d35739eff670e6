using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Schema;

public sealed class JsonSchemaTests
{
    private const string Json = """
        {
          "App": {
            "annotations": { "doc": "app" },
            "commonTypes": {
              "Ctx": { "type": "Record", "attributes": { "ip": { "type": "Extension", "name": "ipaddr", "required": false } } }
            },
            "entityTypes": {
              "User": {
                "memberOfTypes": ["Group"],
                "shape": { "type": "Record", "attributes": {
                  "name": { "type": "String" },
                  "age": { "type": "Long", "required": false },
                  "admin": { "type": "Boolean" },
                  "friends": { "type": "Set", "element": { "type": "Entity", "name": "User" } },
                  "group": { "type": "EntityOrCommon", "name": "Group" }
                } },
                "tags": { "type": "Set", "element": { "type": "String" } }
              },
              "Group": {},
              "Status": { "enum": ["on", "off"] }
            },
            "actions": {
              "read": {
                "memberOf": [{ "id": "all" }],
                "appliesTo": { "principalTypes": ["User"], "resourceTypes": ["Group"], "context": { "type": "Ctx" } }
              },
              "all": { "memberOf": [{ "id": "root", "type": "App::Action" }] },
              "root": {}
            }
          }
        }
        """;

    [Fact]
    public void JsonSchema_IsResolved()
    {
        var schema = CedarSchema.ParseJson(Json);

        var user = schema.GetEntityType(new EntityType("App::User"))!;
        Assert.Equal(CedarType.Bool, user.Attributes.Attributes["admin"].Type);
        Assert.False(user.Attributes.Attributes["age"].Required);
        Assert.Equal(CedarType.SetOf(CedarType.Entity(new EntityType("App::User"))), user.Attributes.Attributes["friends"].Type);
        Assert.Equal(CedarType.Entity(new EntityType("App::Group")), user.Attributes.Attributes["group"].Type);
        Assert.Equal(CedarType.SetOf(CedarType.String), user.Tags);
        Assert.Equal(["on", "off"], schema.GetEntityType(new EntityType("App::Status"))!.EnumChoices);
        var read = schema.GetAction(new EntityUid("App::Action", "read"))!;
        Assert.Equal(CedarType.Extension("ipaddr"), read.Context.Attributes["ip"].Type);
        Assert.Equal([new EntityUid("App::Action", "all"), new EntityUid("App::Action", "root")], read.Ancestors.OrderBy(u => u.Id));
    }

    [Fact]
    public void JsonToHumanToJson_RoundTrip_KeepsTheResolvedSchema()
    {
        var original = CedarSchema.ParseJson(Json);

        var human = original.ToCedarText();
        var viaHuman = CedarSchema.Parse(human);
        var viaJson = CedarSchema.ParseJson(viaHuman.ToJson());

        foreach (var s in new[] { viaHuman, viaJson })
        {
            Assert.Equal(original.EntityTypes.Keys.OrderBy(k => k.Name), s.EntityTypes.Keys.OrderBy(k => k.Name));
            foreach (var (name, et) in original.EntityTypes)
            {
                Assert.Equal(et.Attributes, s.EntityTypes[name].Attributes);
                Assert.Equal(et.Tags, s.EntityTypes[name].Tags);
                Assert.Equal(et.EnumChoices, s.EntityTypes[name].EnumChoices);
                Assert.Equal(et.Descendants.ToHashSet(), s.EntityTypes[name].Descendants.ToHashSet());
            }

            foreach (var (uid, a) in original.Actions)
            {
                Assert.Equal(a.Context, s.Actions[uid].Context);
                Assert.Equal(a.Principals, s.Actions[uid].Principals);
                Assert.Equal(a.Ancestors.ToHashSet(), s.Actions[uid].Ancestors.ToHashSet());
            }
        }
    }

    [Fact]
    public void HumanToJson_WritesEntityOrCommonReferences()
    {
        var json = CedarSchema.Parse("entity A { b: Long };").ToJson();

        Assert.Contains("\"EntityOrCommon\"", json, StringComparison.Ordinal);
        Assert.Equal(CedarType.Long, CedarSchema.ParseJson(json).GetEntityType(new EntityType("A"))!.Attributes.Attributes["b"].Type);
    }

    [Theory]
    [InlineData("""{ "": { "entityTypes": { "A": { "bogus": 1 } }, "actions": {} } }""", "bogus")]
    [InlineData("""{ "": { "entityTypes": {}, "actions": {}, "extra": {} } }""", "extra")]
    [InlineData("""{ "": { "actions": {} } }""", "entityTypes")]
    [InlineData("""{ "": { "entityTypes": { "A": { "shape": { "type": "Set" } } }, "actions": {} } }""", "element")]
    [InlineData("""{ "": { "entityTypes": { "A": { "shape": { "type": "Record", "attributes": {}, "additionalAttributes": true } } }, "actions": {} } }""", "additionalAttributes")]
    [InlineData("""{ "": { "entityTypes": {}, "actions": { "a": { "attributes": { "x": 1 } } } } }""", "attributes")]
    [InlineData("""{ "": { "entityTypes": { "A": {}, "E": { "enum": ["x"], "memberOfTypes": ["A"] } }, "actions": {} } }""", "memberOfTypes")]
    [InlineData("""[1, 2]""", "object")]
    [InlineData("""{ "": """, "invalid JSON")]
    public void MalformedJsonSchema_IsRejected(string json, string expected)
    {
        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.ParseJson(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSyntaxError_HasLineAndColumn()
    {
        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.ParseJson("{\n  \"\": { \"entityTypes\": {,} }\n}"));

        Assert.Equal(2, e.Line);
        Assert.True(e.Column > 1);
    }

    [Fact]
    public void CommonTypeReference_InJson_OnlyResolvesToCommonTypes()
    {
        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.ParseJson("""
            { "": { "entityTypes": { "A": {}, "B": { "shape": { "type": "Record", "attributes": { "a": { "type": "A" } } } } }, "actions": {} } }
            """));
        Assert.Contains("common type", e.Message, StringComparison.Ordinal);
    }
}
