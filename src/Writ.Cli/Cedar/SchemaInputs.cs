using System.CommandLine;
using System.Text.Json;
using Writ.Cedar.Schema;

namespace Writ.Cli.Cedar;

// --schema and --schema-format. Without --schema-format a file ending in .json is read as a JSON schema and
// anything else as Cedar schema text (the official CLI defaults to Cedar text).
internal sealed class SchemaInputs
{
    public const string CedarFormat = "cedar";
    public const string JsonFormat = "json";

    public SchemaInputs(bool required)
    {
        Schema = new Option<string?>("--schema", "-s")
        {
            Description = required ? "Schema file (.cedarschema text or JSON)" : "Schema file (.cedarschema text or JSON): schema-based parsing of entities and context, action entities, request validation",
            HelpName = "file",
            Required = required,
        };
        Format = new Option<string?>("--schema-format")
        {
            Description = "Format of the --schema file [default: json for *.json, else cedar]",
            HelpName = "cedar|json",
        };
        Format.AcceptOnlyFromAmong(CedarFormat, JsonFormat);
    }

    public Option<string?> Schema { get; }

    public Option<string?> Format { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Schema);
        command.Options.Add(Format);
    }

    public CedarSchema? Load(CedarInvocation invocation) =>
        invocation.Get(Schema) is { } path ? Parse(invocation.Io.Read(path, "schema"), IsJson(invocation.Get(Format), path)) : null;

    public static bool IsJson(string? format, string? path) =>
        format is null ? path is not null && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) : format == JsonFormat;

    public static CedarSchema Parse(CedarSource source, bool json)
    {
        try
        {
            return json ? CedarSchema.ParseJson(source.Text) : CedarSchema.Parse(source.Text);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }
    }
}
