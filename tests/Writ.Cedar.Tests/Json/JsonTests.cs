using Writ.Cedar.Authorization;
using Writ.Cedar.Formatting;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Json;

public sealed class JsonTests
{
    [Fact]
    public void Values_ReadEveryForm()
    {
        var v = Assert.IsType<RecordValue>(ValueJson.Parse("""
            {"b": true, "n": -5, "s": "x", "set": [1, 1, 2], "e": {"__entity": {"type": "A::B", "id": "c"}},
             "ip": {"__extn": {"fn": "ip", "arg": "1.2.3.4"}},
             "dt": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "2024-01-01"}}, {"__extn": {"fn": "duration", "arg": "1h"}}]}},
             "plain": {"type": "User", "id": "x"}}
            """));
        Assert.Equal(BoolValue.True, v.Fields["b"]);
        Assert.Equal(LongValue.Of(-5), v.Fields["n"]);
        Assert.Equal(2, ((SetValue)v.Fields["set"]).Count);
        Assert.Equal(new EntityUid("A::B", "c"), v.Fields["e"]);
        Assert.IsType<IpAddrValue>(v.Fields["ip"]);
        Assert.Equal(new DatetimeValue(1704067200000 + 3_600_000), v.Fields["dt"]);
        Assert.IsType<RecordValue>(v.Fields["plain"]);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("1.5")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    [InlineData("{\"__extn\": {\"fn\": \"ip\", \"arg\": \"nope\"}}")]
    [InlineData("{\"__extn\": {\"fn\": \"nope\", \"arg\": \"1\"}}")]
    [InlineData("{\"__entity\": {\"type\": \"if\", \"id\": \"x\"}}")]
    [InlineData("{\"__expr\": \"1 + 1\"}")]
    [InlineData("[1, ")]
    public void BadValue_IsRejected(string json) => Assert.Throws<CedarJsonException>(() => ValueJson.Parse(json));

    [Fact]
    public void Hints_EnableImplicitForms()
    {
        var hint = JsonValueHint.Record(new Dictionary<string, JsonValueHint>
        {
            ["owner"] = JsonValueHint.Entity(),
            ["addr"] = JsonValueHint.Extension("ipaddr"),
            ["when"] = JsonValueHint.Extension("datetime"),
            ["ips"] = JsonValueHint.SetOf(JsonValueHint.Extension("ipaddr")),
        });
        var v = Assert.IsType<RecordValue>(ValueJson.Parse("""{"owner": {"type": "User", "id": "u"}, "addr": "10.0.0.1", "when": "2024-01-01", "ips": ["::1"]}""", hint));
        Assert.Equal(new EntityUid("User", "u"), v.Fields["owner"]);
        Assert.IsType<IpAddrValue>(v.Fields["addr"]);
        Assert.IsType<DatetimeValue>(v.Fields["when"]);
        Assert.IsType<IpAddrValue>(((SetValue)v.Fields["ips"]).Items[0]);
    }

    [Fact]
    public void Entities_UnknownFieldsAreIgnored() =>
        Assert.Single(EntityJson.ParseEntities("[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": [], \"note\": 1}]"));

    [Fact]
    public void Entities_ReadUidFormsParentsAndTags()
    {
        var list = EntityJson.ParseEntities("""
            [{"uid": {"__entity": {"type": "User", "id": "a"}}, "attrs": {"x": 1}, "parents": [{"type": "G", "id": "g"}], "tags": {"t": "v"}},
             {"uid": {"type": "G", "id": "g"}, "attrs": {}, "parents": []}]
            """);
        Assert.Equal(new EntityUid("User", "a"), list[0].Uid);
        Assert.Equal(new StringValue("v"), list[0].Tags["t"]);
        Assert.Equal([new EntityUid("G", "g")], list[0].Parents);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[{\"attrs\": {}}]")]
    [InlineData("[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"parents\": []}]")]
    [InlineData("[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {}}]")]
    [InlineData("[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"parents\": {}}]")]
    [InlineData("[{\"uid\": {\"type\": \"A\"}, \"attrs\": {}, \"parents\": []}]")]
    [InlineData("[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": []}, {\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": []}]")]
    public void BadEntities_AreRejected(string json) => Assert.Throws<CedarJsonException>(() => EntityJson.ParseStore(json));

    [Fact]
    public void Entities_RoundTrip()
    {
        var store = Evaluation.EvalHelper.Entities;
        var json = EntityJson.ToJson(store.Entities);
        var again = EntityJson.ParseEntities(json);
        Assert.Equal(store.Count, again.Count);
        foreach (var e in again)
        {
            Assert.True(store.TryGet(e.Uid, out var orig));
            Assert.Equal(orig.Attributes, e.Attributes);
            Assert.Equal(orig.Parents.ToHashSet(), e.Parents.ToHashSet());
        }
    }

    [Fact]
    public void OfficialPolicyJson_IsRead()
    {
        var p = PolicyJson.ParsePolicy("""
            {
              "effect": "permit",
              "principal": {"op": "==", "entity": {"type": "User", "id": "12UA45"}},
              "action": {"op": "in", "entities": [{"type": "Action", "id": "view"}]},
              "resource": {"op": "is", "entity_type": "Folder", "in": {"entity": {"type": "Folder", "id": "abc"}}},
              "conditions": [
                {"kind": "when", "body": {"==": {"left": {".": {"left": {"Var": "context"}, "attr": "tls_version"}}, "right": {"Value": "1.3"}}}},
                {"kind": "unless", "body": {"like": {"left": {"Var": "principal"}, "pattern": ["Wildcard", {"Literal": "ab"}]}}},
                {"kind": "when", "body": {"has": {"left": {"Var": "context"}, "attr": ["a", "b"]}}},
                {"kind": "when", "body": {"lessThan": [{"decimal": [{"Value": "1.0"}]}, {"Value": {"__extn": {"fn": "decimal", "arg": "2.0"}}}]}}
              ],
              "annotations": {"id": "p1", "flag": null}
            }
            """);
        Assert.Equal(
            "@id(\"p1\")\n@flag\npermit (\n  principal == User::\"12UA45\",\n  action in [Action::\"view\"],\n  resource is Folder in Folder::\"abc\"\n)\n"
            + "when {\n  context.tls_version == \"1.3\"\n}\nunless {\n  principal like \"*ab\"\n}\nwhen {\n  context has a && context.a has b\n}\n"
            + "when {\n  decimal(\"1.0\").lessThan(decimal(\"2.0\"))\n}\n;".Replace("\n}\n;", "\n};", StringComparison.Ordinal),
            PolicyFormatter.Format(p));
    }

    [Theory]
    [InlineData("{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"}, \"resource\": {\"op\": \"All\"}, \"conditions\": [], \"bogus\": 1}")]
    [InlineData("{\"effect\": \"allow\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"}, \"resource\": {\"op\": \"All\"}, \"conditions\": []}")]
    [InlineData("{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"}, \"resource\": {\"op\": \"All\"}, \"conditions\": [{\"kind\": \"when\", \"body\": {\"==\": {\"left\": {\"Value\": 1}}}}]}")]
    [InlineData("{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"}, \"resource\": {\"op\": \"All\"}, \"conditions\": [{\"kind\": \"when\", \"body\": {\"Value\": 1, \"Var\": \"principal\"}}]}")]
    [InlineData("{\"effect\": \"permit\", \"principal\": {\"op\": \"==\", \"slot\": \"?resource\"}, \"action\": {\"op\": \"All\"}, \"resource\": {\"op\": \"All\"}, \"conditions\": []}")]
    [InlineData("{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"==\", \"entity\": {\"type\": \"User\", \"id\": \"x\"}}, \"resource\": {\"op\": \"All\"}, \"conditions\": []}")]
    public void BadPolicyJson_IsRejected(string json) => Assert.Throws<CedarJsonException>(() => PolicyJson.ParsePolicy(json));

    [Fact]
    public void PolicySet_RoundTripsWithTemplatesAndLinks()
    {
        var set = PolicySet.Parse("""
            permit(principal == ?principal, action == Action::"view", resource in ?resource) when { context.a > 1 };
            forbid(principal, action, resource) unless { resource has owner && "x" like "*\*" };
            """);
        set.Link("policy0", "link1", new Dictionary<Writ.Cedar.Ast.SlotId, EntityUid>
        {
            [Writ.Cedar.Ast.SlotId.Principal] = new EntityUid("User", "a"),
            [Writ.Cedar.Ast.SlotId.Resource] = new EntityUid("Folder", "f"),
        });
        var json = PolicyJson.ToJson(set);
        var again = PolicyJson.ParsePolicySet(json);
        Assert.Equal(json, PolicyJson.ToJson(again));
        Assert.True(again.TryGetPolicy("link1", out var linked));
        Assert.Equal("policy0", linked.TemplateId);
        Assert.Equal(new EntityUid("User", "a"), linked.Principal.Entity);
    }

    [Fact]
    public void TextToJsonToText_IsStable()
    {
        const string text = """
            @id("a")
            permit (
              principal is User in Group::"g",
              action in [Action::"a", Action::"b"],
              resource
            )
            when {
              if context.x.isEmpty() then -1 < 2 * -(3) else !(principal.tags.containsAny([1, "2", {a: [true]}]))
            }
            unless {
              ip("10.0.0.1").isInRange(ip("10.0.0.0/8")) || datetime("2024-01-01").offset(duration("1h")) > context.t
            };
            """;
        var p = PolicyParser.ParsePolicy(text);
        var viaJson = PolicyJson.ParsePolicy(PolicyJson.ToJson(p));
        Assert.Equal(PolicyFormatter.Format(p), PolicyFormatter.Format(viaJson));
        Assert.Equal(PolicyFormatter.Format(p), PolicyFormatter.Format(PolicyParser.ParsePolicy(PolicyFormatter.Format(p))));
    }

    [Fact]
    public void EntitiesFromUtf8Bytes_MatchTextParsing()
    {
        const string json = """[{"uid": {"type": "User", "id": "\u00e9"}, "attrs": {"n": 1}, "parents": []}]""";
        var fromBytes = EntityJson.ParseEntities(System.Text.Encoding.UTF8.GetBytes(json));
        var fromText = EntityJson.ParseEntities(json);
        Assert.Equal(fromText[0].Uid, fromBytes[0].Uid);
        Assert.Equal(fromText[0].Attributes, fromBytes[0].Attributes);
    }

    [Fact]
    public void EntitiesWithInvalidUtf8_AreRejected() =>
        Assert.Throws<CedarJsonException>(() => EntityJson.ParseEntities(new byte[] { (byte)'[', (byte)'"', 0xFF, (byte)'"', (byte)']' }));

    [Fact]
    public void ContextThatIsAnEntityEscape_IsRejected() =>
        Assert.Throws<CedarJsonException>(() => EntityJson.ParseContext("""{"__entity": {"type": "A", "id": "b"}}"""));

    [Fact]
    public void ContextRecord_IsRead() =>
        Assert.Equal(LongValue.Of(1), EntityJson.ParseContext("""{"a": 1, "b": {"__entity": {"type": "A", "id": "b"}}}""").Fields["a"]);
}
