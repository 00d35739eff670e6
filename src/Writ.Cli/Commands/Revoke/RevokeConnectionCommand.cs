namespace Writ.Cli.Commands.Revoke;

// `writ revoke connection <name>`: every lease issued from the connection ends (dynamic roles dropped).
internal static class RevokeConnectionCommand
{
    public static WritCommand Create(AdminCommandRunner runner) => RevokeVerb.Create(
        runner,
        "connection",
        "Revoke a connection: every lease issued from it ends (dynamic database roles are dropped, brokered secrets are no longer injected).",
        "The connection's name",
        static id => id,
        "writ revoke connection orders-db --cause \"admin password leaked\"");
}
