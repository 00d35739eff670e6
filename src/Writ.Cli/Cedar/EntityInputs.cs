using System.CommandLine;
using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Schema;

namespace Writ.Cli.Cedar;

// --entities: the Cedar entities JSON array. With a schema, values are read as the declared types and the
// schema's action entities are added, as the official CLI does.
internal sealed class EntityInputs
{
    public Option<string?> Entities { get; } = new("--entities", "-e")
    {
        Description = "Entities JSON file (an array of {uid, attrs, parents, tags}); no entities when absent",
        HelpName = "file",
    };

    public void AddTo(Command command) => command.Options.Add(Entities);

    public EntityStore Load(CedarInvocation invocation, CedarSchema? schema)
    {
        if (invocation.Get(Entities) is not { } path)
        {
            return schema is null ? EntityStore.Empty : Store(new CedarSource("schema", "[]"), SchemaEntities.ActionEntities(schema));
        }

        return Parse(invocation.Io.Read(path, "entities"), schema);
    }

    public static EntityStore Parse(CedarSource source, CedarSchema? schema)
    {
        IEnumerable<Entity> entities;
        try
        {
            entities = schema is null ? EntityJson.ParseEntities(source.Text) : SchemaEntities.ParseEntities(source.Text, schema);
        }
        catch (Exception e) when (e is CedarJsonException or FormatException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }

        return Store(source, entities);
    }

    private static EntityStore Store(CedarSource source, IEnumerable<Entity> entities)
    {
        try
        {
            return new EntityStore(entities);
        }
        catch (Exception e) when (e is ArgumentException or EntityLimitException)
        {
            throw new CedarInputException(new CedarDiagnostic(source.Name, e.Message), e);
        }
    }
}
