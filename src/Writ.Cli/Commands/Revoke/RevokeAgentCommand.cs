namespace Writ.Cli.Commands.Revoke;

// `writ revoke agent <name|spiffe id>`: suspends it; every token it holds is rejected.
internal static class RevokeAgentCommand
{
    public static WritCommand Create(AdminCommandRunner runner) => RevokeVerb.Create(
        runner,
        "agent",
        "Revoke an agent: it is suspended and every token it holds is rejected (resume it later with `writ agent resume`).",
        "The agent's name or SPIFFE ID",
        static id => id,
        "writ revoke agent research --cause \"prompt injection\"",
        "writ revoke agent spiffe://acme.test/agent/research");
}
