namespace Writ.Cli.Commands.Revoke;

// `writ revoke owner <name>`: every agent of the owner is suspended.
internal static class RevokeOwnerCommand
{
    public static WritCommand Create(AdminCommandRunner runner) => RevokeVerb.Create(
        runner,
        "owner",
        "Revoke an owner: every one of their agents is suspended and their tokens rejected.",
        "The owner's name",
        static id => id,
        "writ revoke owner alice --cause \"offboarded\"");
}
