using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Schema;

public sealed class CedarSchemaParserTests
{
    private const string PhotoApp = """
        // A photo sharing app.
        @doc("the app")
        namespace PhotoApp {
          type Context = { authenticated: Bool, ip?: ipaddr };
          entity User in [UserGroup] = {
            "department": String,
            jobLevel: Long,
            @doc("optional")
            manager?: User,
            tags_seen: Set<String>,
          } tags String;
          entity UserGroup;
          entity Album in Album;
          entity Photo in [Album] { owner: User, score: decimal, taken: datetime, ttl: __cedar::duration };
          entity Color enum ["red", "green"];
          action "view", "read" in [Action::"readOnly"] appliesTo {
            principal: [User, UserGroup],
            resource: Photo,
            context: Context,
          };
          action readOnly;
          action "delete" in "readOnly" appliesTo { principal: User, resource: [Photo, Album], context: {} };
        }
        """;

    [Fact]
    public void HumanSchema_WithEveryDeclarationKind_IsResolved()
    {
        var schema = CedarSchema.Parse(PhotoApp);

        var user = schema.GetEntityType(new EntityType("PhotoApp::User"))!;
        Assert.Equal([new EntityType("PhotoApp::UserGroup")], user.Parents);
        Assert.Equal(CedarType.String, user.Attributes.Attributes["department"].Type);
        Assert.True(user.Attributes.Attributes["jobLevel"].Required);
        Assert.False(user.Attributes.Attributes["manager"].Required);
        Assert.Equal(CedarType.Entity(new EntityType("PhotoApp::User")), user.Attributes.Attributes["manager"].Type);
        Assert.Equal(CedarType.SetOf(CedarType.String), user.Attributes.Attributes["tags_seen"].Type);
        Assert.Equal(CedarType.String, user.Tags);

        var photo = schema.GetEntityType(new EntityType("PhotoApp::Photo"))!;
        Assert.Equal(CedarType.Extension("decimal"), photo.Attributes.Attributes["score"].Type);
        Assert.Equal(CedarType.Extension("datetime"), photo.Attributes.Attributes["taken"].Type);
        Assert.Equal(CedarType.Extension("duration"), photo.Attributes.Attributes["ttl"].Type);

        Assert.Equal(["red", "green"], schema.GetEntityType(new EntityType("PhotoApp::Color"))!.EnumChoices);
        Assert.Contains(new EntityType("PhotoApp::Album"), schema.GetEntityType(new EntityType("PhotoApp::Album"))!.Descendants);
        Assert.Contains(new EntityType("PhotoApp::User"), schema.GetEntityType(new EntityType("PhotoApp::UserGroup"))!.Descendants);

        var view = schema.GetAction(new EntityUid("PhotoApp::Action", "view"))!;
        Assert.Equal([new EntityType("PhotoApp::User"), new EntityType("PhotoApp::UserGroup")], view.Principals);
        Assert.Equal([new EntityType("PhotoApp::Photo")], view.Resources);
        Assert.False(view.Context.Attributes["ip"].Required);
        Assert.Equal(CedarType.Extension("ipaddr"), view.Context.Attributes["ip"].Type);
        Assert.Contains(new EntityUid("PhotoApp::Action", "readOnly"), view.Ancestors);
        var readOnly = schema.GetAction(new EntityUid("PhotoApp::Action", "readOnly"))!;
        Assert.Empty(readOnly.Principals);
        Assert.Contains(new EntityUid("PhotoApp::Action", "delete"), readOnly.Descendants);
    }

    [Fact]
    public void CommonType_TakesPrecedenceOverEntityType_InTheSameNamespace()
    {
        var schema = CedarSchema.Parse("""
            namespace N {
              type T = Long;
              entity T;
              entity E { a: T };
            }
            """);

        Assert.Equal(CedarType.Long, schema.GetEntityType(new EntityType("N::E"))!.Attributes.Attributes["a"].Type);
    }

    [Fact]
    public void UnqualifiedName_ResolvesInDeclaringNamespaceBeforeEmptyNamespace()
    {
        var schema = CedarSchema.Parse("""
            entity Shared;
            entity Other { s: Shared };
            namespace N {
              entity Inner;
              entity E { inner: Inner, shared: Shared, q: N::Inner };
            }
            """);

        var attrs = schema.GetEntityType(new EntityType("N::E"))!.Attributes.Attributes;
        Assert.Equal(CedarType.Entity(new EntityType("N::Inner")), attrs["inner"].Type);
        Assert.Equal(CedarType.Entity(new EntityType("Shared")), attrs["shared"].Type);
        Assert.Equal(CedarType.Entity(new EntityType("N::Inner")), attrs["q"].Type);
    }

    [Fact]
    public void BuiltinName_ShadowedByEmptyNamespaceEntity_IsReachableThroughCedarNamespace()
    {
        var schema = CedarSchema.Parse("""
            entity ipaddr;
            entity E { a: ipaddr, b: __cedar::ipaddr, c: __cedar::Long };
            """);

        var attrs = schema.GetEntityType(new EntityType("E"))!.Attributes.Attributes;
        Assert.Equal(CedarType.Entity(new EntityType("ipaddr")), attrs["a"].Type);
        Assert.Equal(CedarType.Extension("ipaddr"), attrs["b"].Type);
        Assert.Equal(CedarType.Long, attrs["c"].Type);
    }

    [Fact]
    public void ActionType_CanBeUsedAsAnAttributeType()
    {
        var schema = CedarSchema.Parse("""
            entity E { a: Action };
            action "go";
            """);

        Assert.Equal(CedarType.Entity(new EntityType("Action")), schema.GetEntityType(new EntityType("E"))!.Attributes.Attributes["a"].Type);
    }

    [Theory]
    [InlineData("entity A { a: Long ", 1, 20)]
    [InlineData("entity A;\nentity B in [A] { x: Set<Long };", 2, 31)]
    [InlineData("entity A;\n  action \"a\" appliesTo { principal: A, resource: A, banana: A };", 2, 53)]
    [InlineData("entity in;", 1, 8)]
    [InlineData("entity A { \"x\\q\": Long };", 1, 14)]
    [InlineData("entity A $;", 1, 10)]
    public void MalformedSchema_IsRejected_WithLineAndColumn(string text, int line, int column)
    {
        var e = Assert.Throws<SchemaParseException>(() => SchemaFragment.ParseCedar(text));
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains("^", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("entity A { a: Nope };", "Nope")]
    [InlineData("entity A in [B];", "B")]
    [InlineData("entity A; action a appliesTo { principal: A, resource: Missing };", "Missing")]
    [InlineData("action a in [b];", "b")]
    [InlineData("entity A; entity A;", "twice")]
    [InlineData("action a in [b]; action b in [a];", "cycle")]
    [InlineData("type T = { x: U }; type U = Set<T>; entity E { t: T };", "itself")]
    [InlineData("entity E { a: __cedar::nope };", "__cedar::nope")]
    [InlineData("entity User; namespace N { entity User; }", "shadows")]
    [InlineData("entity A; action a appliesTo { principal: [], resource: A };", "at least one")]
    [InlineData("entity A; action a appliesTo { resource: A };", "principal")]
    [InlineData("@a @a entity A;", "duplicate annotation")]
    [InlineData("entity A { x: Long, x: String };", "duplicate attribute")]
    public void InconsistentSchema_IsRejected(string text, string expected)
    {
        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("entity A;\nentity B { a: A, b: Nope };", 2, 21)]
    [InlineData("entity A;\n\naction read appliesTo { principal: A, resource: Missing };", 3, 1)]
    [InlineData("type T = { x: Missing };\nentity A { t: T };", 1, 15)]
    public void UndeclaredName_IsReportedAtItsPosition(string text, int line, int column)
    {
        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.Parse(text));
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void DeeplyNestedType_IsRejected_NotCrashing()
    {
        var text = "entity E { a: " + string.Concat(Enumerable.Repeat("Set<", 5000)) + "Long" + new string('>', 5000) + " };";
        var e = Assert.Throws<SchemaParseException>(() => CedarSchema.Parse(text));
        Assert.Contains("nesting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringEscapes_AreDecoded()
    {
        var schema = CedarSchema.Parse("entity E enum [\"a\\n\\u{1F600}\\\"\"];");

        Assert.Equal("a\n\U0001F600\"", schema.GetEntityType(new EntityType("E"))!.EnumChoices![0]);
    }
}
