using System.CommandLine;
using System.Globalization;
using Writ.Cedar.Ast;
using Writ.Cedar.Formatting;
using Writ.Cedar.Json;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar translate-policy`: Cedar policy text to the JSON policy format and back (comments are not kept).
internal static class TranslatePolicyCommand
{
    public const string CedarToJson = "cedar-to-json";
    public const string JsonToCedar = "json-to-cedar";

    public static WritCommand Create(CedarIo io)
    {
        var direction = new Option<string>("--direction")
        {
            Description = "Which way to translate",
            HelpName = $"{CedarToJson}|{JsonToCedar}",
            Required = true,
        };
        direction.AcceptOnlyFromAmong(CedarToJson, JsonToCedar);
        var policies = new Option<string?>("--policies", "-p")
        {
            Description = "File to translate; standard input when absent or -",
            HelpName = "file",
        };
        var command = new WritCommand(
            "translate-policy",
            "Translate policies between Cedar text and Cedar's JSON policy format. Policy ids survive the round trip: text gets @id annotations where ids are not the default policy0, policy1, ...",
            "writ cedar translate-policy --direction cedar-to-json --policies policies.cedar > policies.json",
            "writ cedar translate-policy --direction json-to-cedar < policies.json");
        command.Options.Add(direction);
        command.Options.Add(policies);
        io.SetAction(command, invocation =>
        {
            var source = invocation.Io.Read(invocation.Get(policies), "policies");
            invocation.Output.WriteLine(invocation.Get(direction) == CedarToJson
                ? PolicyJson.ToJson(PolicyInputs.ParseText(source))
                : ToCedar(source).TrimEnd('\n'));
            return CedarExitCodes.Ok;
        });
        return command;
    }

    private static string ToCedar(CedarSource source)
    {
        var set = PolicyInputs.ParseJson(source);
        if (set.Policies.FirstOrDefault(p => p.TemplateId is not null) is { } linked)
        {
            throw new CedarInputException($"{source.Name}: template-linked policy {linked.Id} has no Cedar text form; keep links in a --template-linked file");
        }

        var ordered = set.Policies.Concat(set.Templates.Values).ToList();
        return PolicyFormatter.Format(ordered.Select((p, i) => WithIdAnnotation(p, i)));
    }

    // Text names policies policy0, policy1, ... by position unless an @id annotation says otherwise.
    private static Policy WithIdAnnotation(Policy policy, int position)
    {
        var positional = "policy" + position.ToString(CultureInfo.InvariantCulture);
        var annotated = policy.GetAnnotation("id");
        if (annotated == policy.Id || (annotated is null && policy.Id == positional))
        {
            return policy;
        }

        List<Annotation> annotations = [new Annotation("id", policy.Id), .. policy.Annotations.Where(a => a.Key != "id")];
        return new Policy(policy.Id, policy.Effect, policy.Principal, policy.Action, policy.Resource, policy.Conditions, annotations, policy.Span, policy.TemplateId, policy.SlotValues);
    }
}
