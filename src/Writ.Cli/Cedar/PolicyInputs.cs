using System.CommandLine;
using System.Text.Json;
using Writ.Cedar.Ast;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Values;

namespace Writ.Cli.Cedar;

// --policies, --policy-format and --template-linked, as the official Cedar CLI takes them, and loading them into
// a policy set. Like the official CLI, an @id("...") annotation names a policy or template read from Cedar text.
internal sealed class PolicyInputs
{
    public const string CedarFormat = "cedar";
    public const string JsonFormat = "json";

    public Option<string?> Policies { get; } = new("--policies", "-p")
    {
        Description = "File with the Cedar policies and templates; standard input when absent or -",
        HelpName = "file",
    };

    public Option<string> Format { get; } = CreateFormatOption();

    public Option<string?> TemplateLinked { get; } = new("--template-linked", "-k")
    {
        Description = "JSON file of template links: [{\"template_id\", \"link_id\", \"args\": {\"?principal\": \"User::\\\"alice\\\"\"}}]",
        HelpName = "file",
    };

    public void AddTo(Command command, bool withLinks = true)
    {
        command.Options.Add(Policies);
        command.Options.Add(Format);
        if (withLinks)
        {
            command.Options.Add(TemplateLinked);
        }
    }

    public bool Given(CedarInvocation invocation) => invocation.Get(Policies) is not null;

    public PolicySet Load(CedarInvocation invocation)
    {
        var source = invocation.Io.Read(invocation.Get(Policies), "policies");
        var set = invocation.Get(Format) == JsonFormat ? ParseJson(source) : ParseText(source);
        if (invocation.Get(TemplateLinked) is { } linksPath)
        {
            AddLinks(set, invocation.Io.Read(linksPath, "template links"));
        }

        return set;
    }

    public static PolicySet ParseText(CedarSource source) => Build(source, ParsePolicyList(source));

    // Policies and templates in text order, renamed by their @id annotations.
    public static IReadOnlyList<Policy> ParsePolicyList(CedarSource source)
    {
        try
        {
            return [.. PolicyParser.ParsePolicies(source.Text).Select(p => p.GetAnnotation("id") is { } id ? p.WithId(id) : p)];
        }
        catch (CedarParseException e)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }
    }

    public static PolicySet ParseJson(CedarSource source)
    {
        try
        {
            return PolicyJson.ParsePolicySet(source.Text);
        }
        catch (Exception e) when (e is CedarJsonException or CedarParseException or JsonException or ArgumentException or FormatException)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }
    }

    private static PolicySet Build(CedarSource source, IReadOnlyList<Policy> policies)
    {
        try
        {
            return new PolicySet(policies);
        }
        catch (ArgumentException e)
        {
            throw new CedarInputException(new CedarDiagnostic(source.Name, e.Message), e);
        }
    }

    private static void AddLinks(PolicySet set, CedarSource source)
    {
        if (source.Text.Trim().Length == 0)
        {
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(source.Text, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new CedarInputException(new CedarDiagnostic(source.Name, "template links must be a JSON array"));
            }

            var index = 0;
            foreach (var link in doc.RootElement.EnumerateArray())
            {
                AddLink(set, link, $"template link {index++}");
            }
        }
        catch (JsonException e)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }
        catch (Exception e) when (e is ArgumentException or CedarParseException or InvalidDataException)
        {
            throw new CedarInputException(new CedarDiagnostic(source.Name, e.Message), e);
        }
    }

    private static void AddLink(PolicySet set, JsonElement link, string where)
    {
        if (link.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} must be a JSON object");
        }

        var templateId = RequiredString(link, "template_id", where);
        var linkId = RequiredString(link, "link_id", where);
        var values = new Dictionary<SlotId, EntityUid>();
        if (link.TryGetProperty("args", out var args))
        {
            if (args.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where}: args must be a JSON object");
            }

            foreach (var arg in args.EnumerateObject())
            {
                var slot = arg.Name switch
                {
                    "?principal" => SlotId.Principal,
                    "?resource" => SlotId.Resource,
                    _ => throw new InvalidDataException($"{where}: unknown slot {arg.Name}; expected ?principal or ?resource"),
                };
                if (arg.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{where}: {arg.Name} must be an entity reference such as \"User::\\\"alice\\\"\"");
                }

                values[slot] = PolicyParser.ParseEntityUid(arg.Value.GetString()!);
            }
        }

        set.Link(templateId, linkId, values);
    }

    private static string RequiredString(JsonElement link, string name, string where) =>
        link.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where} has no \"{name}\" string");

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--policy-format")
        {
            Description = "Format of the --policies file",
            HelpName = "cedar|json",
            DefaultValueFactory = _ => CedarFormat,
        };
        option.AcceptOnlyFromAmong(CedarFormat, JsonFormat);
        return option;
    }
}
