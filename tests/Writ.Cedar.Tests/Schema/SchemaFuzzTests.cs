using System.Text;
using CsCheck;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Schema;

/// <summary>
/// Generated hostile inputs for the schema readers: mutated schemas and entity data must either be read or be
/// rejected with the documented exception, never crash or hang. A short run here; raise <c>iter</c> to fuzz longer.
/// </summary>
public sealed class SchemaFuzzTests
{
    private const string SeedSchema = """
        @doc("x")
        namespace App {
          type Ctx = { ip?: ipaddr, "quoted key": Set<Long> };
          entity User in [Group] = { name: String, boss?: User, when: datetime } tags decimal;
          entity Group;
          entity Kind enum ["a", "b\u{1F600}"];
          action "read", write in [Action::"all"] appliesTo { principal: [User], resource: Group, context: Ctx };
          action all;
        }
        entity Top { n: __cedar::Long };
        """;

    private const string SeedEntities = """
        [{ "uid": { "type": "App::User", "id": "a" }, "parents": [{ "type": "App::Group", "id": "g" }],
           "attrs": { "name": "n", "boss": { "__entity": { "type": "App::User", "id": "b" } }, "when": "2024-01-01T00:00:00Z" },
           "tags": { "t": { "__extn": { "fn": "decimal", "arg": "1.5" } } } },
         { "uid": { "type": "App::Group", "id": "g" } }]
        """;

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "<", ">", ";", ",", ":", "::", "?", "@", "=", "(", ")", "\"", "\\", "\\u{", "//", "\n",
        "Set", "entity", "action", "type", "namespace", "in", "appliesTo", "principal", "resource", "context", "tags", "enum",
        "__cedar", "Long", "Action", "\"x\"", "0", "\u00e9", "\uD83D", "{\"__extn\":", "{\"__entity\":", "null", "true", "-1", "1e400",
    ];

    /// <summary>Applies a few random edits (delete, insert a grammar fragment, duplicate, truncate) to the text.</summary>
    private static Gen<string> Mutations(string seed) =>
        Gen.Int[1, 6].SelectMany(count => Gen.Select(Gen.Int[0, 3], Gen.Int[0, seed.Length * 2], Gen.Int[0, Fragments.Length - 1], Gen.Int[1, 20]).Array[count])
            .Select(edits =>
            {
                var sb = new StringBuilder(seed);
                foreach (var (kind, at, fragment, length) in edits)
                {
                    var pos = at % (sb.Length + 1);
                    switch (kind)
                    {
                        case 0:
                            sb.Remove(pos, Math.Min(length, sb.Length - pos));
                            break;
                        case 1:
                            sb.Insert(pos, Fragments[fragment]);
                            break;
                        case 2:
                            var take = Math.Min(length, sb.Length - pos);
                            sb.Insert(pos, sb.ToString(pos, take));
                            break;
                        default:
                            sb.Length = pos;
                            break;
                    }
                }

                return sb.ToString();
            });

    [Fact]
    public void MutatedHumanSchema_IsReadOrRejected_NeverCrashes() =>
        Mutations(SeedSchema).Sample(text =>
        {
            try
            {
                var schema = CedarSchema.Parse(text);
                _ = CedarSchema.ParseJson(schema.ToJson());
                _ = schema.EntityTypes.Values.Select(e => e.Attributes.ToString()).ToList();
            }
            catch (SchemaParseException)
            {
            }
        }, iter: 3000, threads: 1);

    [Fact]
    public void MutatedJsonSchema_IsReadOrRejected_NeverCrashes()
    {
        var json = CedarSchema.Parse(SeedSchema).ToJson();
        Mutations(json).Sample(text =>
        {
            try
            {
                _ = CedarSchema.ParseJson(text).ToCedarText();
            }
            catch (SchemaParseException)
            {
            }
        }, iter: 3000, threads: 1);
    }

    [Fact]
    public void MutatedEntities_AreReadOrRejected_NeverCrash()
    {
        var schema = CedarSchema.Parse(SeedSchema);
        Mutations(SeedEntities).Sample(text =>
        {
            try
            {
                _ = SchemaEntities.ParseEntities(text, schema);
                _ = SchemaEntities.ParseContext(text, schema, new EntityUid("App::Action", "read"));
            }
            catch (SchemaConformanceException)
            {
            }
        }, iter: 3000, threads: 1);
    }
}
