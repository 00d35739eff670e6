using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ join-token create`: one-time tokens an agent exchanges for its first identity token.
internal static class JoinTokenCommands
{
    private const string Noun = "join-token";

    public const string SubjectTokenType = "urn:writ:params:oauth:token-type:join-token";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Join tokens: one-time credentials an agent exchanges once for an identity token.",
            "writ join-token create research",
            "writ join-token create research --ttl 5m --json");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(CreateVerb(runner));
        return noun;
    }

    private static WritCommand CreateVerb(AdminCommandRunner runner)
    {
        var agent = new Argument<string>("agent") { Description = "Name of the agent the token is for" };
        var ttl = new Option<string?>("--ttl") { Description = "Lifetime: seconds, 90s, 10m, 1h or ISO 8601 (PT10M) [default: the server's, 10 minutes]", HelpName = "duration" };
        var verb = new WritCommand("create", "Create a one-time join token for an agent; the token is shown only once.",
            "writ join-token create research",
            "TOKEN=$(writ join-token create research --json | jq -r .token)")
        {
            agent,
            ttl,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var body = new JsonObject { ["agent"] = call.Get(agent) };
            if (call.Get(ttl) is { } lifetime)
            {
                body["ttl"] = InputParsing.Duration(lifetime, "--ttl");
            }

            var created = await call.Api.PostAsync("join-tokens", body, ct);
            call.Show(created, t =>
            {
                call.Output.WriteLine($"Join token for agent {Cells.Text(t["agent"])}, valid once until {Cells.Time(t["expiresAt"])} (shown only now):");
                call.Output.WriteLine();
                call.Output.WriteLine("  " + Cells.Text(t["token"]));
                call.Output.WriteLine();
                call.Output.WriteLine("The agent exchanges it at POST /oauth2/token (grant_type=urn:ietf:params:oauth:grant-type:token-exchange,");
                call.Output.WriteLine($"subject_token=<token>, subject_token_type={SubjectTokenType}, audience=<audience>).");
            });
        });
        return verb;
    }
}
