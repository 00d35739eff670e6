using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ issuer add|list|remove`: trusted external issuers whose tokens attest agents through claim rules.
internal static class IssuerCommands
{
    private const string Noun = "issuer";

    private static readonly Column[] Columns =
    [
        Column.Of("NAME", "name"),
        Column.Of("ISSUER", "issuer"),
        Column.Of("AUDIENCE", "audience"),
        new("KEYS", i => i["jwksUri"] is { } uri ? Cells.Text(uri) : i["jwks"] is null ? Cells.Missing : "static JWKS"),
        new("RULES", i => Rules(i["rules"])),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Trusted external issuers (Kubernetes, CI, another trust domain) whose tokens attest agents by claim rules.",
            "writ issuer add github-actions --issuer https://token.actions.githubusercontent.com --jwks-uri https://token.actions.githubusercontent.com/.well-known/jwks --audience writ --rule ci-bot:repository=acme/app,ref=refs/heads/main",
            "writ issuer list");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Add(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Remove(runner));
        return noun;
    }

    private static WritCommand Add(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Short name for this issuer" };
        var issuer = new Option<string>("--issuer") { Description = "The issuer's `iss` value, exactly as in its tokens", Required = true, HelpName = "iss" };
        var jwksUri = new Option<string?>("--jwks-uri") { Description = "Where the issuer publishes its JWKS", HelpName = "url" };
        var jwksFile = new Option<string?>("--jwks-file") { Description = "A file holding the issuer's JWKS, for issuers that publish none", HelpName = "file" };
        var audience = new Option<string>("--audience") { Description = "The `aud` the issuer's tokens must carry for Writ", Required = true, HelpName = "aud" };
        var rules = new Option<string[]>("--rule")
        {
            Description = "Claim rule <agent>:<claim>=<value>[,<claim>=<value>...]; every claim must match (repeatable, at least one)",
            HelpName = "rule",
            Required = true,
        };
        var verb = new WritCommand("add", "Trust an external issuer and map its tokens to agents.",
            "writ issuer add k8s --issuer https://kubernetes.default.svc --jwks-file k8s-jwks.json --audience writ --rule research:sub=system:serviceaccount:agents:research",
            "writ issuer add ci --issuer https://ci.example.com --jwks-uri https://ci.example.com/jwks --audience writ --rule ci-bot:repository=acme/app --rule deployer:repository=acme/deploy")
        {
            name,
            issuer,
            jwksUri,
            jwksFile,
            audience,
            rules,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            if ((call.Get(jwksUri) is null) == (call.Get(jwksFile) is null))
            {
                throw new CliException("give exactly one of --jwks-uri or --jwks-file.", ExitCodes.Usage);
            }

            var body = new JsonObject
            {
                ["name"] = call.Get(name),
                ["issuer"] = call.Get(issuer),
                ["audience"] = call.Get(audience),
            };
            if (call.Get(jwksUri) is { } uri)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
                {
                    throw new CliException($"--jwks-uri '{uri}' is not an http(s) URL.", ExitCodes.Usage);
                }

                body["jwksUri"] = uri;
            }

            if (call.Get(jwksFile) is { } file)
            {
                body["jwks"] = InputParsing.JwksFile(file, "--jwks-file");
            }

            body["rules"] = new JsonArray([.. (call.Get(rules) ?? []).Select(r => (JsonNode)InputParsing.Rule(r))]);
            var created = await call.Api.PostAsync("issuers", body, ct);
            call.Show(created, i => call.Output.WriteLine($"Issuer {Cells.Text(i["name"])} ({Cells.Text(i["issuer"])}) is trusted, with {Rules(i["rules"])} claim rule(s)."));
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List trusted external issuers.", "writ issuer list");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("issuers", ct), Columns, "No trusted issuers. Add one with `writ issuer add`."));
        return verb;
    }

    private static WritCommand Remove(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the issuer" };
        var verb = new WritCommand("remove", "Stop trusting an external issuer.", "writ issuer remove k8s") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var issuerName = call.Get(name);
            await call.Api.DeleteAsync("issuers/" + AdminApiClient.Segment(issuerName), ct);
            call.ShowDone(new JsonObject { ["name"] = issuerName, ["removed"] = true }, $"Issuer {issuerName} removed; its tokens no longer attest agents.");
        });
        return verb;
    }

    private static string Rules(JsonNode? rules) => rules is JsonArray array ? array.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : Cells.Missing;
}
